import type { AdminConfig } from '../config.js';
import type { Turn } from './turn.js';

/** Who counts as a CoE admin, and what others are told: one rule for every admin command (COMMANDS' admin flag). */
export class CoeAdmins {
  constructor(private readonly config: AdminConfig) {}

  /** Admins are listed by object id, or are members of the CoE team. */
  async isAdmin(turn: Pick<Turn, 'memberId' | 'inTeam'>): Promise<boolean> {
    const { objectIds, teamId } = this.config;
    if (objectIds.some((id) => id.toLowerCase() === turn.memberId.toLowerCase())) return true;
    return teamId ? turn.inTeam(teamId) : false;
  }

  refusal(command: string): string {
    const who = [
      this.config.objectIds.length > 0 ? 'the people in the CoE_ADMINS setting' : undefined,
      this.config.teamId ? 'members of the CoE team' : undefined,
    ].filter(Boolean);
    return who.length === 0
      ? `Only CoE admins can run **${command}**, and none are set up yet. Ask whoever runs this bot to list them in its COE_ADMINS setting.`
      : `Only CoE admins can run **${command}**: ${who.join(' and ')}. Please ask one of them.`;
  }
}
