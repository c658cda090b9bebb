// vip: raises the priority of VIP and premium-plan tickets.
//
// The TypeScript twin of sdk/examples/vip and sdk/python/examples/vip: the
// same settings, the same answers. heard runs the executable `vip` beside
// this file, which loads the compiled module and calls main().

// First: it keeps stdout for the handshake.
import { CallContext, ClassifyRequest, ClassifyResponse, DeadlineExceeded, FieldSpec, Invalid, Prediction, Ticket, serve } from "../../src/index";

export const VERSION = "1.0.0";
const PRIORITIES = ["P0", "P1", "P2", "P3"];
const FIELD_PRIORITY = "priority";
const FIELD_SECONDARY_TAG = "tag.secondary";
const KNOWN = new Set(["plans", "vip_domains", "vip_emails", "mrr_at_least", "vip_priority", "tag", "confidence"]);

/** Settings are the checked settings with defaults filled in. */
export interface Settings {
  plans: Record<string, string>;
  vipDomains: string[];
  vipEmails: string[];
  mrrAtLeast: number;
  vipPriority: string;
  tag: string;
  confidence: number;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const quote = (s: string) => `'${s}'`;

/** parseSettings checks raw (the settings object) and fills defaults; it throws Invalid. */
export function parseSettings(raw: Record<string, unknown>): Settings {
  const unknown = Object.keys(raw).filter((k) => !KNOWN.has(k)).sort();
  if (unknown.length > 0) throw new Invalid(`vip settings: unknown field ${quote(unknown[0])}`);
  const plans: Record<string, string> = Object.create(null); // no inherited keys: a plan may be called "constructor"
  const rawPlans = raw.plans;
  if (rawPlans !== null && typeof rawPlans === "object" && !Array.isArray(rawPlans)) {
    for (const [k, v] of Object.entries(rawPlans)) plans[k.toLowerCase()] = String(v);
  }
  const s: Settings = {
    plans,
    vipDomains: strings(raw.vip_domains),
    vipEmails: strings(raw.vip_emails),
    mrrAtLeast: Number(raw.mrr_at_least || 0),
    vipPriority: String(raw.vip_priority || "P1"),
    tag: String(raw.tag || "vip"),
    confidence: Number(raw.confidence || 0.85),
  };
  const errs: string[] = [];
  if (!PRIORITIES.includes(s.vipPriority.trim().toUpperCase())) {
    errs.push(`vip_priority: priority ${quote(s.vipPriority)}: want one of P0, P1, P2, P3`);
  }
  for (const plan of Object.keys(s.plans).sort()) {
    const p = s.plans[plan];
    if (!PRIORITIES.includes(p.trim().toUpperCase())) errs.push(`plans.${plan}: priority ${quote(p)}: want one of P0, P1, P2, P3`);
  }
  if (!(s.confidence >= 0 && s.confidence <= 1)) errs.push(`confidence ${s.confidence}: want 0..1`);
  if (Number.isNaN(s.mrrAtLeast)) errs.push(`mrr_at_least: want a number`);
  if (errs.length > 0) throw new Invalid("vip settings: " + errs.join("; "));
  return s;
}

/** vipReasons says why the ticket's requester is a VIP, if they are. */
export function vipReasons(s: Settings, t: Ticket): string[] {
  const out: string[] = [];
  const email = (t.requester?.email ?? "").toLowerCase();
  if (email && s.vipEmails.some((e) => e.toLowerCase() === email)) out.push("requester is on the VIP list");
  const at = email.indexOf("@");
  if (at >= 0) {
    const domain = email.slice(at + 1);
    if (s.vipDomains.some((d) => d.toLowerCase() === domain)) out.push(`requester domain ${domain} is a VIP domain`);
  }
  if (s.mrrAtLeast > 0) {
    const raw = t.customer?.mrr ?? "";
    const mrr = raw.trim() === "" ? NaN : Number(raw);
    if (!Number.isNaN(mrr) && mrr >= s.mrrAtLeast) out.push(`MRR ${raw} is at least ${s.mrrAtLeast}`);
  }
  return out;
}

/** wants says whether fields asks for field and allows value; no fields asks for everything. */
export function wants(fields: FieldSpec[], field: string, value: string): boolean {
  if (fields.length === 0) return true;
  const f = fields.find((f) => f.name === field);
  return f !== undefined && (f.allowed.length === 0 || f.allowed.includes(value));
}

/** Booster never lowers a priority. Settings are replaced whole, never changed in place. */
export class Booster {
  settings: Settings | undefined;

  configure(raw: Record<string, unknown>): void {
    this.settings = parseSettings(raw);
  }

  classify(req: ClassifyRequest, ctx?: CallContext): ClassifyResponse {
    const s = this.settings;
    if (ctx?.cancelled) throw new DeadlineExceeded("call cancelled");
    if (s === undefined || !req.ticket) return {};
    const t = req.ticket;
    const fields = req.fields ?? [];
    let target = "";
    const why: string[] = [];
    const raiseTo = (p: string, reason: string) => {
      if (!target || p < target) target = p; // "P0" < "P1": more urgent
      why.push(reason);
    };
    const plan = (t.customer?.plan ?? "").toLowerCase();
    if (plan && plan in s.plans) {
      const p = s.plans[plan].trim().toUpperCase();
      raiseTo(p, `plan "${plan}" gets at least ${p}`);
    }
    const vip = vipReasons(s, t);
    if (vip.length > 0) raiseTo(s.vipPriority.trim().toUpperCase(), vip.join(", "));
    const predictions: Prediction[] = [];
    const current = t.priority ?? "";
    if (target && (!current || target < current) && wants(fields, FIELD_PRIORITY, target)) {
      predictions.push({ field: FIELD_PRIORITY, value: target, confidence: s.confidence, reason: "boosted: " + why.join("; ") });
    }
    if (vip.length > 0 && s.tag !== "-" && wants(fields, FIELD_SECONDARY_TAG, s.tag)) {
      predictions.push({ field: FIELD_SECONDARY_TAG, value: s.tag, confidence: s.confidence, reason: "VIP: " + vip.join(", ") });
    }
    return { predictions };
  }
}

/** main serves the booster to heard. */
export async function main(): Promise<void> {
  const b = new Booster();
  await serve({
    name: "vip-ts",
    version: VERSION,
    description: "raises the priority of VIP and premium-plan tickets (TypeScript)",
    classify: (req, ctx) => b.classify(req, ctx),
    configure: (raw) => b.configure(raw),
  });
}
