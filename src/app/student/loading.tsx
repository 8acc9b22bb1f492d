import { LoadingSkeleton } from '@/ui/LoadingSkeleton';

export default function Loading() {
  return <LoadingSkeleton />;
}
