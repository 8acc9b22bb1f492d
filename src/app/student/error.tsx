'use client';
export { ErrorPanel as default } from '@/ui/ErrorPanel';
