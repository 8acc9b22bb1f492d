'use client';
// The Settings page's form: profile (display name, time zone) and notification preferences
// (email off / digest / daily summary, quiet hours, previews), saved together; push per device
// apart. Field errors (ours, or the server's VALIDATION_FAILED fields) sit under their fields and
// are announced; the first invalid field takes the focus.
import {
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  type FormEvent,
  type ReactNode,
} from 'react';
import { useRouter } from 'next/navigation';
import type { TSettings, TSettingsInput } from '@/notifications/preferences';
import type { Area } from '@/messaging/limits';
import { Card } from '@/ui/Card';
import { ErrorPanel } from '@/ui/ErrorPanel';
import { LoadingSkeleton } from '@/ui/LoadingSkeleton';
import { primaryButton } from '@/ui/buttons';
import { browserTimeZone } from '@/ui/time-format';
import { ApiError, errorMessage } from '@/ui/messages/api';
import { settingsApi } from './api';
import { PushToggle } from './PushToggle';

type Fields = Record<string, string[]>;

const input =
  'mt-1 w-full rounded-lg border border-slate-300 px-3 py-2 text-sm font-normal aria-[invalid=true]:border-red-600';

function zones(current: string): string[] {
  const all = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return [...new Set([current, 'UTC', ...all])].sort();
}

function hourLabel(h: number): string {
  return `${String(h).padStart(2, '0')}:00`;
}

/** Checks the browser can make before asking the server (which checks them all again). */
function localErrors(v: TSettingsInput): Fields {
  const out: Fields = {};
  if (!v.name.trim()) out.name = ['Enter your name.'];
  if (v.quietHours) {
    if (!v.quietHours.start) out['quietHours.start'] = ['Choose when quiet hours start.'];
    if (!v.quietHours.end) out['quietHours.end'] = ['Choose when quiet hours end.'];
    else if (v.quietHours.start === v.quietHours.end)
      out['quietHours.end'] = ['Quiet hours must end at a different time than they start.'];
  }
  return out;
}

function Field({
  id,
  label,
  errors,
  hint,
  children,
}: {
  id: string;
  label: string;
  errors?: string[];
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="text-sm">
      <label htmlFor={id} className="font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint ? (
        <p id={`${id}-hint`} className="mt-1 text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {errors?.length ? (
        <p id={`${id}-error`} className="mt-1 text-red-700">
          {errors.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

function described(id: string, errors?: string[], hint?: boolean) {
  const ids = [hint ? `${id}-hint` : null, errors?.length ? `${id}-error` : null].filter(Boolean).join(' ');
  return { 'aria-invalid': errors?.length ? true : undefined, 'aria-describedby': ids || undefined };
}

export function SettingsForm({ area }: { area: Area }) {
  const api = useMemo(() => settingsApi(area), [area]);
  const router = useRouter();
  const uid = useId();
  const [loaded, setLoaded] = useState<TSettings | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<TSettingsInput | null>(null);
  const [fields, setFields] = useState<Fields>({});
  const [status, setStatus] = useState('');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);

  const load = useCallback(() => {
    const ctrl = new AbortController();
    api
      .get(ctrl.signal)
      .then((s) => {
        setLoaded(s);
        setForm({
          name: s.name,
          timeZone: s.defaults ? browserTimeZone() : s.timeZone,
          emailMode: s.emailMode,
          dailyHour: s.dailyHour,
          quietHours: s.quietHours,
          previews: s.previews,
        });
      })
      .catch((err: unknown) => {
        if ((err as Error).name !== 'AbortError') setLoadError(errorMessage(err));
      });
    return () => ctrl.abort();
  }, [api]);
  useEffect(load, [load]);

  const focusFirstInvalid = () =>
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(),
    );

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    setStatus('');
    setSaveError(null);
    const errors = localErrors(form);
    setFields(errors);
    if (Object.keys(errors).length) {
      setSaveError('Some fields need attention.');
      focusFirstInvalid();
      return;
    }
    setSaving(true);
    try {
      const saved = await api.save(form);
      setLoaded(saved);
      setStatus('Settings saved.');
      // The layout renders again with the saved profile: times in the new zone, the new name, and
      // notifications with or without previews.
      router.refresh();
    } catch (err) {
      if (err instanceof ApiError && err.fields) {
        setFields(err.fields);
        focusFirstInvalid();
      }
      setSaveError(errorMessage(err));
    } finally {
      setSaving(false);
    }
  }

  if (loadError)
    return (
      <ErrorPanel
        error={new Error(loadError)}
        reset={() => {
          setLoadError(null);
          load();
        }}
      />
    );
  if (!form || !loaded) return <LoadingSkeleton />;

  const set = (patch: Partial<TSettingsInput>) => setForm({ ...form, ...patch });
  const id = (name: string) => `${uid}-${name}`;
  const quiet = form.quietHours;

  return (
    <div className="max-w-2xl space-y-4">
      <form
        ref={formRef}
        noValidate
        onSubmit={(e) => void submit(e)}
        className="space-y-4"
        aria-label="Settings"
      >
        <Card title="Profile" titleId={id('profile')}>
          <div className="space-y-4">
            <Field id={id('name')} label="Display name" errors={fields.name}>
              <input
                id={id('name')}
                name="name"
                autoComplete="name"
                value={form.name}
                maxLength={100}
                onChange={(e) => set({ name: e.target.value })}
                className={input}
                {...described(id('name'), fields.name)}
              />
            </Field>
            <p className="text-sm text-slate-600">
              Email: <span className="break-all text-slate-900">{loaded.email}</span>
            </p>
            <Field
              id={id('tz')}
              label="Time zone"
              errors={fields.timeZone}
              hint="Used for times in the app, quiet hours and the daily summary."
            >
              <select
                id={id('tz')}
                name="timeZone"
                value={form.timeZone}
                onChange={(e) => set({ timeZone: e.target.value })}
                className={input}
                {...described(id('tz'), fields.timeZone, true)}
              >
                {zones(form.timeZone).map((z) => (
                  <option key={z} value={z}>
                    {z}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </Card>

        <Card title="Email" titleId={id('email')}>
          <fieldset className="space-y-2 text-sm">
            <legend className="sr-only">Email notifications</legend>
            {(
              [
                [
                  'digest',
                  'Digest of unread messages',
                  'When you are away, unread messages are emailed together.',
                ],
                ['daily', 'Daily summary', 'One email a day with everything still unread.'],
                ['off', 'Off', 'No emails about messages.'],
              ] as const
            ).map(([value, label, hint]) => (
              <label key={value} className="flex items-start gap-2">
                <input
                  type="radio"
                  name="emailMode"
                  value={value}
                  checked={form.emailMode === value}
                  onChange={() => set({ emailMode: value })}
                  className="mt-1"
                />
                <span>
                  <span className="font-medium text-slate-900">{label}</span>
                  <span className="block text-slate-500">{hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
          {form.emailMode === 'daily' ? (
            <div className="mt-3 max-w-48">
              <Field id={id('hour')} label="Send the daily summary at" errors={fields.dailyHour}>
                <select
                  id={id('hour')}
                  value={form.dailyHour}
                  onChange={(e) => set({ dailyHour: Number(e.target.value) })}
                  className={input}
                  {...described(id('hour'), fields.dailyHour)}
                >
                  {Array.from({ length: 24 }, (_, h) => (
                    <option key={h} value={h}>
                      {hourLabel(h)}
                    </option>
                  ))}
                </select>
              </Field>
            </div>
          ) : null}
        </Card>

        <Card title="Quiet hours" titleId={id('quiet')}>
          <div className="space-y-3 text-sm">
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={!!quiet}
                onChange={(e) =>
                  set({ quietHours: e.target.checked ? { start: '22:00', end: '07:00' } : null })
                }
              />
              <span className="font-medium text-slate-900">Pause push and email during quiet hours</span>
            </label>
            <p className="text-slate-500">
              Nothing is sent inside them, not even urgent announcements; what was held arrives together when
              they end.
            </p>
            {quiet ? (
              <div className="grid gap-3 sm:grid-cols-2">
                <Field id={id('qs')} label="From" errors={fields['quietHours.start']}>
                  <input
                    id={id('qs')}
                    type="time"
                    value={quiet.start}
                    onChange={(e) => set({ quietHours: { ...quiet, start: e.target.value } })}
                    className={input}
                    {...described(id('qs'), fields['quietHours.start'])}
                  />
                </Field>
                <Field id={id('qe')} label="Until" errors={fields['quietHours.end']}>
                  <input
                    id={id('qe')}
                    type="time"
                    value={quiet.end}
                    onChange={(e) => set({ quietHours: { ...quiet, end: e.target.value } })}
                    className={input}
                    {...described(id('qe'), fields['quietHours.end'])}
                  />
                </Field>
              </div>
            ) : null}
          </div>
        </Card>

        <Card title="Previews" titleId={id('previews')}>
          <label className="flex items-center gap-2 text-sm">
            <input
              type="checkbox"
              checked={form.previews}
              onChange={(e) => set({ previews: e.target.checked })}
            />
            <span className="font-medium text-slate-900">Show message text in notifications and emails</span>
          </label>
        </Card>

        <div className="flex flex-wrap items-center gap-3">
          <button type="submit" className={primaryButton} disabled={saving}>
            {saving ? 'Saving…' : 'Save settings'}
          </button>
          <p role="status" className="text-sm text-green-800">
            {status}
          </p>
        </div>
        {saveError ? (
          <p role="alert" className="text-sm text-red-700">
            {saveError}
          </p>
        ) : null}
      </form>

      <Card title="Push on this device" titleId={id('push')}>
        <PushToggle api={api} area={area} onChange={() => setStatus('')} />
        <p className="mt-2 text-xs text-slate-500">
          Devices with push on: <span data-testid="push-devices">{loaded.pushDevices}</span>
        </p>
      </Card>
    </div>
  );
}
