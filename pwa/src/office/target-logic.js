// Pure helpers of the targets (tested in test/office-rules.test.js): how a satisfaction
// setting is named, and the percent an admin types as the share the server stores.
import { t } from '../lib/i18n/index.js';

/** "Target 80%, 基本满意 counted as satisfied": the setting a satisfaction figure is judged by. */
export function satisfactionSetting(target) {
  if (!target || typeof target !== 'object') return '';
  return t(
    target.basically_counts_as_satisfied ? 'targets.settingCounted' : 'targets.settingNotCounted',
    { target: `${Math.round(target.satisfaction_target * 1000) / 10}%` },
  );
}

/** The percent typed ("85" or "85.5") as the share the server stores (0.855), or null. */
export function shareOfPercent(text) {
  const typed = String(text ?? '').trim();
  const n = Number(typed);
  if (typed === '' || !Number.isFinite(n) || n < 0 || n > 100) return null;
  return Math.round(n * 10) / 1000;
}
