import type { AdaptiveCardInvokeResponse, InvokeResponse, TaskModuleResponse } from 'botbuilder';

/** A card action answered with words instead of a new card. */
export const messageResponse = (text: string): AdaptiveCardInvokeResponse => ({
  statusCode: 200,
  type: 'application/vnd.microsoft.activity.message',
  value: text as unknown as Record<string, unknown>,
});

/** A dialog closed or answered with words. */
export const dialogMessage = (text: string): TaskModuleResponse => ({ task: { type: 'message', value: text } });

/** An invoke refused or failed, with the reason in the body. */
export const errorInvokeResponse = (status: number, code: string, text: string): InvokeResponse => ({
  status,
  body: { statusCode: status, type: 'application/vnd.microsoft.error', value: { code, message: text } },
});

/**
 * Tells the member `text` in the shape each invoke expects: words on the card or in the dialog where the member
 * can read them, an error body (with `otherwise`'s status) for any other invoke.
 */
export function invokeText(name: string | undefined, text: string, otherwise: { status: number; code: string }): InvokeResponse {
  if (name === 'adaptiveCard/action') return { status: 200, body: messageResponse(text) };
  if (name === 'task/fetch' || name === 'task/submit') return { status: 200, body: dialogMessage(text) };
  return errorInvokeResponse(otherwise.status, otherwise.code, text);
}
