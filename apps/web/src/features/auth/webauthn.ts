/**
 * WebAuthn in the browser through @simplewebauthn/browser, loaded on first use (it stays out of the first
 * load). A cancelled or timed-out dialog becomes a Japanese message.
 */
export async function createPasskey(optionsJSON: unknown) {
  const { startRegistration } = await import('@simplewebauthn/browser');
  try {
    return await startRegistration({ optionsJSON: optionsJSON as never });
  } catch (error) {
    throw new Error(webauthnMessage(error, '登録'));
  }
}

export async function assertPasskey(optionsJSON: unknown) {
  const { startAuthentication } = await import('@simplewebauthn/browser');
  try {
    return await startAuthentication({ optionsJSON: optionsJSON as never });
  } catch (error) {
    throw new Error(webauthnMessage(error, '確認'));
  }
}

function webauthnMessage(error: unknown, what: string) {
  const name = (error as { name?: string })?.name;
  if (name === 'NotAllowedError') return `パスキーの${what}が取り消されたか、時間切れになりました`;
  if (name === 'InvalidStateError') return 'このパスキーはすでに登録されています';
  if (name === 'SecurityError')
    return 'この接続先ではパスキーを使えません（https または localhost で開いてください）';
  return `パスキーの${what}ができませんでした`;
}

/** The message of a failed passkey step: the server's, or the browser dialog's. */
export function passkeyError(error: unknown, serverMessage: (e: unknown) => string) {
  if (error instanceof Error && !('data' in error)) return error.message;
  return serverMessage(error);
}
