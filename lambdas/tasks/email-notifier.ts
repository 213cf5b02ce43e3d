/**
 * The Notifier on email: renders the templates (email-templates.ts), signs the one-click
 * action links for the lead's current cycle and handover, and sends through the Mailer port.
 *
 * Action links are bound to the handover the email is sent in (action-links.ts linkStanding): the
 * rep the email goes to and when that rep got the lead (the lead passed in is the lead as it is,
 * or for a reassignment as it is about to be saved). A manager's escalation carries the owner's
 * handover plus the manager's id: the manager acts on behalf of the owner, while the owner has it. The
 * owner is not copied on it: they get a copy of their own, whose links are signed for them, so what they
 * log from it is credited to them (a link cannot tell who pressed it).
 */
import { createHmac, randomBytes } from 'node:crypto';
import {
  CONSENT_LINK_TTL_SECONDS,
  contactActionChoices,
  dealActionChoices,
  decideActionChoices,
  type Handover,
  handoverOf,
  type LinkContext,
  linkExpiry,
  signActionLinks,
  signConsentUrl,
  signUnsubscribeUrl,
  UNSUBSCRIBE_LINK_TTL_SECONDS,
} from '../domain/action-links.ts';
import { asChannel, type Channel, channelTheRepCanUse, firstTouchChannel } from '../domain/cadence.ts';
import { consentLocale, defaultConsentText } from '../domain/consent.ts';
import {
  attemptDueEmail,
  consentConfirmationEmail,
  decideDueEmail,
  escapeHtml,
  firstTouchOverdueEmail,
  leadRecycledEmail,
  managerEscalationEmail,
  managerTakeoverEmail,
  nurtureEmail,
  type RenderedEmail,
  reassignedAwayEmail,
  reassignedToYouEmail,
  sqlAssignedEmail,
  staleDealEmail,
} from '../domain/email-templates.ts';
import { type LeadState, phoneOf } from '../domain/lead-state.ts';
import { statusFor } from '../domain/lifecycle.ts';
import { personLocale } from '../domain/locale.ts';
import { openDeal } from '../domain/open-deal.ts';
import { localName } from '../domain/sla-names.ts';
import type { Manager, Rep, Sla } from '../domain/sla-schema.ts';
import type { Clock } from '../ports/clock.ts';
import type { Mailer, SendOptions } from '../ports/mailer.ts';
import type { Notifier } from './notifier.ts';

export interface EmailNotifierOptions {
  readonly sla: Sla;
  readonly mailer: Mailer;
  readonly clock: Clock;
  /** where the links in emails point: the API's public URL */
  readonly publicBaseUrl: string;
  readonly actionSecret: string;
  /** workflow failures go here; none configured: logged only */
  readonly opsEmail?: string;
}

/** how many messages of its email went out before a send threw this error (EmailNotifier.forEmail) */
const sentBeforeFailure = new WeakMap<object, number>();

/**
 * The messages of one email (forEmail) that went out before its send failed with `error`: the retry is given
 * them (OutboxEntry.messagesSent) and sends the rest. 0 for any other error.
 */
export function messagesSentBefore(error: unknown): number {
  return typeof error === 'object' && error !== null ? (sentBeforeFailure.get(error) ?? 0) : 0;
}

export class EmailNotifier implements Notifier {
  /** messages this notifier was asked to send (forEmail: the messages of one email, in order) */
  private messages = 0;

  constructor(
    private readonly options: EmailNotifierOptions,
    /** the dedupe key of the email being sent (forEmail): its links' nonces derive from it */
    private readonly emailKey?: string,
    /** the email's first messages that went out before, when a send failed after them: not sent again */
    private readonly sentBefore = 0,
  ) {}

  /**
   * This notifier for one email, by its dedupe key: every send of that email signs the same links (nonce).
   * `sentBefore`: the email's messages that went out before a send failed (OutboxEntry.messagesSent), skipped;
   * a send that fails says how many went out (messagesSentBefore).
   */
  forEmail(key: string, sentBefore = 0): EmailNotifier {
    return new EmailNotifier(this.options, key, sentBefore);
  }

  /**
   * The context links are signed in. `rep`: the owner the email goes to (or, with `manager`, whose
   * lead the manager's email is about); no rep (nurture's unsubscribe link) binds to no handover.
   */
  private links(
    lead: LeadState,
    {
      ttlSeconds,
      rep,
      manager,
      channel,
    }: { ttlSeconds?: number; rep?: Rep; manager?: Manager; channel?: Channel } = {},
  ): LinkContext {
    const now = this.options.clock.now();
    const handover = rep && boundTo(lead, rep);
    return {
      baseUrl: this.options.publicBaseUrl,
      secret: this.options.actionSecret,
      leadId: lead.leadId,
      cycle: lead.cycle,
      exp: linkExpiry(now, ttlSeconds),
      nonce: this.nonce(lead, [rep?.id, manager?.id, handover?.since, ttlSeconds]),
      ...(handover ? { handover } : {}),
      ...(handover && manager ? { managerId: manager.id } : {}),
      ...(channel ? { channel } : {}),
    };
  }

  /**
   * The nonce of an email's links: for a known email (forEmail) a keyed hash of the lead, its cycle, the
   * email's dedupe key, who the links are for and their handover, so every copy of that email carries the same links
   * (single use holds across copies); else random.
   */
  private nonce(lead: LeadState, parts: readonly (string | number | undefined)[]): string {
    if (this.emailKey === undefined) return randomBytes(9).toString('base64url');
    return createHmac('sha256', this.options.actionSecret)
      .update('leadpact-link-nonce.v1.')
      .update(JSON.stringify([lead.leadId, lead.cycle, this.emailKey, ...parts.map((part) => part ?? null)]))
      .digest('base64url')
      .slice(0, 16);
  }

  private async send(email: RenderedEmail, lead: LeadState, options?: SendOptions): Promise<void> {
    const index = this.messages++;
    if (index < this.sentBefore) return;
    try {
      await this.options.mailer.send({ ...email, tags: { ...email.tags, leadId: lead.leadId } }, options);
    } catch (error) {
      if (this.emailKey !== undefined && typeof error === 'object' && error !== null)
        sentBeforeFailure.set(error, index);
      throw error;
    }
  }

  /**
   * The outcome links of a contact email. `channel`: the cadence step's the email asks for (an attempt due, or the
   * first touch: firstTouchLinks), which the attempt a link logs is made by; an email that names no step signs none.
   */
  private contactLinks(
    lead: LeadState,
    rep: Rep,
    { manager, channel }: { manager?: Manager; channel?: Channel } = {},
  ) {
    // the buttons in the reader's language: the manager's on an escalation, else the rep's; the outcomes the rep
    // can have by the step's channel (none known: by whether the lead gave a phone)
    return signActionLinks(
      contactActionChoices(this.options.sla, personLocale(this.options.sla, manager ?? rep), {
        ...(channel ? { channel } : {}),
        hasPhone: phoneOf(lead) !== undefined,
      }),
      this.links(lead, { rep, ...(manager ? { manager } : {}), ...(channel ? { channel } : {}) }),
    );
  }

  /**
   * The outcome links of an email that asks for the first touch (the new SQL, the overdue reminder, an escalation),
   * signed with the channel of the lead's cadence step 1, and that channel for their heading to name ("Log the
   * outcome of your first call"): the attempt a link logs is made the way the heading said. `manager`: the
   * manager's copy, acting for `rep`.
   */
  private firstTouchLinks(lead: LeadState, rep: Rep, manager?: Manager) {
    const channel = firstTouchChannel(this.options.sla, {
      leadType: lead.leadType,
      hasPhone: phoneOf(lead) !== undefined,
    });
    return {
      actionLinks: this.contactLinks(lead, rep, {
        ...(manager ? { manager } : {}),
        ...(channel ? { channel } : {}),
      }),
      ...(channel ? { firstTouchChannel: channel } : {}),
    };
  }

  /**
   * The buttons for what a lead handed to `rep` needs next, as it stands: its open deal's stages; after a
   * connect, the decision (open a deal, recycle, disqualify); else an attempt's outcomes (the first touch's
   * while its clock runs). A connected lead or one in a deal was offered a first touch's outcomes before.
   */
  private nextStepLinks(lead: LeadState, rep: Rep, firstTouchDue: Date | undefined) {
    const { sla } = this.options;
    const locale = personLocale(sla, rep);
    const deal = openDeal(sla, lead);
    if (!deal && lead.status !== statusFor(sla, 'connected') && firstTouchDue)
      return { linksFor: 'first-touch' as const, ...this.firstTouchLinks(lead, rep) };
    const [linksFor, choices] = deal
      ? (['deal', dealActionChoices(sla, deal.stage.id, locale)] as const)
      : lead.status === statusFor(sla, 'connected')
        ? (['decide', decideActionChoices(sla, locale)] as const)
        : ([
            'attempt',
            contactActionChoices(sla, locale, { hasPhone: phoneOf(lead) !== undefined }),
          ] as const);
    return { linksFor, actionLinks: signActionLinks(choices, this.links(lead, { rep })) };
  }

  async nurture(
    lead: LeadState,
    track: Sla['nurture']['tracks'][number],
    index: number,
    options: SendOptions = {},
  ): Promise<void> {
    const templateId = track.emails[index]?.template;
    const template = this.options.sla.nurture.templates.find((candidate) => candidate.id === templateId);
    if (!template || !lead.email) return;
    const unsubscribeUrl = signUnsubscribeUrl(this.links(lead, { ttlSeconds: UNSUBSCRIBE_LINK_TTL_SECONDS }));
    await this.send(nurtureEmail(this.options.sla, lead, { template, unsubscribeUrl }), lead, options);
  }

  async consentRequest(lead: LeadState): Promise<void> {
    if (!lead.email || !lead.consent) return;
    const url = signConsentUrl(
      this.links(lead, { ttlSeconds: CONSENT_LINK_TTL_SECONDS }),
      lead.consent.requestId,
    );
    await this.send(
      consentConfirmationEmail(
        this.options.sla,
        lead,
        url,
        defaultConsentText(this.options.sla, consentLocale(this.options.sla, lead)),
      ),
      lead,
    );
  }

  async sqlAssigned(...[lead, rep, dueAt, reasons]: Parameters<Notifier['sqlAssigned']>): Promise<void> {
    const now = this.options.clock.now();
    await this.send(
      sqlAssignedEmail(this.options.sla, lead, {
        rep,
        dueAt,
        reasons,
        ...this.firstTouchLinks(lead, rep),
        now,
      }),
      lead,
    );
  }

  async attemptDue(...[lead, rep, due]: Parameters<Notifier['attemptDue']>): Promise<void> {
    const now = this.options.clock.now();
    await this.send(
      attemptDueEmail(this.options.sla, lead, {
        rep,
        step: due,
        actionLinks: this.contactLinks(lead, rep, {
          channel: channelTheRepCanUse(asChannel(due.channel), phoneOf(lead) !== undefined),
        }),
        now,
      }),
      lead,
    );
  }

  async firstTouchOverdue(
    ...[lead, rep, dueAt, overdueHours, ahead]: Parameters<Notifier['firstTouchOverdue']>
  ): Promise<void> {
    const now = this.options.clock.now();
    await this.send(
      firstTouchOverdueEmail(this.options.sla, lead, {
        rep,
        dueAt,
        overdueBusinessHours: overdueHours,
        ...(ahead ? { ahead } : {}),
        ...this.firstTouchLinks(lead, rep),
        now,
      }),
      lead,
    );
  }

  async managerEscalation(
    ...[lead, rep, manager, dueAt, overdueHours, standsInFor, ahead]: Parameters<
      Notifier['managerEscalation']
    >
  ): Promise<void> {
    const now = this.options.clock.now();
    const escalation = {
      manager,
      owner: rep,
      dueAt,
      overdueBusinessHours: overdueHours,
      ...(ahead?.reassignedAt ? { reassignedAt: ahead.reassignedAt } : {}),
      now,
    };
    await this.send(
      managerEscalationEmail(this.options.sla, lead, {
        ...escalation,
        ...(standsInFor ? { standsInFor } : {}),
        ...this.firstTouchLinks(lead, rep, manager),
      }),
      lead,
    );
    // the owner's own copy, with links signed for the owner: what they log from it is theirs
    await this.send(
      managerEscalationEmail(this.options.sla, lead, {
        ...escalation,
        ownersCopy: true,
        ...this.firstTouchLinks(lead, rep),
      }),
      lead,
    );
  }

  async reassigned(...[lead, from, to, dueAt, why]: Parameters<Notifier['reassigned']>): Promise<void> {
    const now = this.options.clock.now();
    const reason = why ?? { kind: 'overdue' as const };
    await this.send(
      reassignedToYouEmail(this.options.sla, lead, {
        rep: to,
        ...(from ? { previousOwner: from } : {}),
        reason,
        ...(dueAt ? { dueAt } : {}),
        ...this.nextStepLinks(lead, to, dueAt),
        now,
      }),
      lead,
    );
    if (from)
      await this.send(
        reassignedAwayEmail(this.options.sla, lead, { rep: from, newOwner: to, reason, now }),
        lead,
      );
  }

  async managerTakeover(
    ...[lead, owner, manager, takeover]: Parameters<Notifier['managerTakeover']>
  ): Promise<void> {
    const { sla } = this.options;
    // the reps who had the lead, as the manager reads their names (names per locale, ADR 0024)
    const name = (id: string) => {
      const rep = sla.routing.reps.find((candidate) => candidate.id === id);
      return rep ? localName(rep, personLocale(sla, manager ?? {})) : `${id} (no longer in the SLA)`;
    };
    // a reminder's manager the SLA no longer names: the ops address heard of the lead at the takeover
    if (!manager && takeover.reminder) return;
    if (!manager) {
      // the SLA names nobody: the deployment's ops address is the last resort (no personal data)
      await this.opsAlert(
        `LeadPact: lead ${lead.leadId} needs a manager: ${takeover.headline}`,
        `The SLA "${sla.name}" (${sla.version}) names no manager for lead ${lead.leadId}: ${takeover.why}.\n` +
          'Name a manager on its queue (routing.queues[].manager) or routing.ops, and decide who works the lead.',
      );
      return;
    }
    const now = this.options.clock.now();
    const common = {
      manager,
      headline: takeover.summary ?? takeover.headline,
      why: takeover.cause ?? takeover.why,
      ...(takeover.dueAt ? { dueAt: takeover.dueAt } : {}),
      owners: takeover.owners.map(name),
      now,
    };
    // the owner's links, or the manager's for the owner: a first touch's while the takeover says when it was due,
    // else (a later step of an absent owner's cadence) an attempt's that names no step
    const ownerLinks = (owner: Rep, reader?: Manager) =>
      takeover.dueAt
        ? this.firstTouchLinks(lead, owner, reader)
        : { actionLinks: this.contactLinks(lead, owner, reader ? { manager: reader } : {}) };
    await this.send(
      managerTakeoverEmail(sla, lead, {
        ...common,
        ...(owner ? { owner } : {}),
        ...(takeover.standsInFor ? { standsInFor: takeover.standsInFor } : {}),
        ...(owner ? ownerLinks(owner, manager) : { actionLinks: [] }),
        // the lead's console page (sign-in first, if needed): where the manager gives it to a rep, the one link
        // when nobody owns it, beside the outcome links otherwise (ADR 0088)
        consoleUrl: `${this.options.publicBaseUrl}/console/leads/${encodeURIComponent(lead.leadId)}`,
        ...(takeover.reminder ? { reminder: takeover.reminder } : {}),
      }),
      lead,
    );
    // the owner's own copy, with links signed for the owner (see managerEscalation); a reminder is the manager's
    if (owner && !takeover.reminder)
      await this.send(
        managerTakeoverEmail(sla, lead, {
          ...common,
          owner,
          ownersCopy: true,
          ...ownerLinks(owner),
        }),
        lead,
      );
  }

  async recycled(...[lead, owner, manager, recycled]: Parameters<Notifier['recycled']>): Promise<void> {
    const to = owner ?? manager;
    if (!to) return;
    const { sla } = this.options;
    await this.send(
      leadRecycledEmail(sla, lead, {
        now: this.options.clock.now(),
        to,
        ...(owner && manager ? { cc: manager } : {}),
        ...(owner ? {} : { ownerName: `${lead.ownerId ?? 'the owner'} (no longer in the SLA)` }),
        logged: recycled.logged,
        of: recycled.of,
        breach: recycled.breach,
        ...(recycled.coolOffUntil ? { coolOffUntil: recycled.coolOffUntil } : {}),
        ...(owner && manager && recycled.standsInFor ? { standsInFor: recycled.standsInFor } : {}),
        ...(recycled.overTo && recycled.overTo.email !== to.email ? { alsoCc: recycled.overTo } : {}),
      }),
      lead,
    );
  }

  async staleDeal(...[lead, rep, stage, since, covering]: Parameters<Notifier['staleDeal']>): Promise<void> {
    const { sla } = this.options;
    const now = this.options.clock.now();
    // the owner away: the manager who covers reads it, the links in their language and acting for the owner
    const reader = covering?.manager;
    const actionLinks = signActionLinks(
      dealActionChoices(sla, stage.id, personLocale(sla, reader ?? rep)),
      this.links(lead, { rep, ...(reader ? { manager: reader } : {}) }),
    );
    await this.send(
      staleDealEmail(sla, lead, { rep, stage, since, actionLinks, now, ...(covering ? { covering } : {}) }),
      lead,
    );
  }

  async decideDue(...[lead, rep, manager, due]: Parameters<Notifier['decideDue']>): Promise<void> {
    const { sla } = this.options;
    const now = this.options.clock.now();
    // the links in the reader's language; the manager's act for the owner, as on an escalation
    const links = (reader?: Manager) =>
      signActionLinks(
        decideActionChoices(sla, personLocale(sla, reader ?? rep)),
        this.links(lead, { rep, ...(reader ? { manager: reader } : {}) }),
      );
    const { away, standsInFor, ...clock } = due;
    const common = { rep, ...clock, now };
    const standing = standsInFor ? { standsInFor } : {};
    if (away && manager) {
      // the owner is out of office: the one who covers for them gets the reminder instead (ADR 0043, amended)
      await this.send(
        decideDueEmail(sla, lead, { ...common, manager, away, ...standing, actionLinks: links(manager) }),
        lead,
      );
      return;
    }
    await this.send(
      decideDueEmail(sla, lead, { ...common, ...(manager ? { copied: manager } : {}), actionLinks: links() }),
      lead,
    );
    if (manager)
      await this.send(
        decideDueEmail(sla, lead, { ...common, manager, ...standing, actionLinks: links(manager) }),
        lead,
      );
  }

  async opsAlert(subject: string, text: string): Promise<void> {
    if (!this.options.opsEmail) return;
    const html = `<pre style="font:14px/1.4 monospace;white-space:pre-wrap">${escapeHtml(text)}</pre>`;
    await this.options.mailer.send({
      to: [this.options.opsEmail],
      subject,
      text,
      html,
      tags: { kind: 'ops-alert' },
    });
  }
}

/**
 * The handover links in an email to `rep` are bound to: the lead's current one. Should the lead
 * belong to someone else (it never should), the links are bound to `rep` all the same and do nothing.
 */
function boundTo(lead: LeadState, rep: Rep): Handover {
  // a lead without a handover (it never should be, when a rep is emailed): bound to none that exists
  return { ownerId: rep.id, since: handoverOf(lead)?.since ?? 0 };
}
