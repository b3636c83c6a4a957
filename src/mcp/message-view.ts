/** What the tools show of a message: the Nylas object, trimmed to what an agent reads. */

type Message = Record<string, unknown>;

export function summarize(m: Message) {
  const folders = (m.folders as string[] | undefined) ?? [];
  return {
    id: String(m.id),
    thread_id: (m.thread_id as string | null) ?? null,
    subject: String(m.subject ?? ""),
    from: (m.from as { email: string; name?: string }[]) ?? [],
    to: (m.to as { email: string; name?: string }[]) ?? [],
    cc: (m.cc as { email: string; name?: string }[]) ?? [],
    date: Number(m.date ?? 0),
    unread: Boolean(m.unread),
    starred: Boolean(m.starred),
    folder: folders[0] ?? "",
    snippet: String(m.snippet ?? ""),
    attachments: ((m.attachments as Message[] | undefined) ?? []).map((a) => ({
      id: String(a.id),
      filename: String(a.filename ?? ""),
      content_type: String(a.content_type ?? ""),
      size: Number(a.size ?? 0),
    })),
  };
}

/** A message in full: the summary, its text, and the codes and links found in it. */
export function detail(m: Message, text: string) {
  return {
    ...summarize(m),
    reply_to: (m.reply_to as { email: string; name?: string }[]) ?? [],
    in_reply_to: (m.in_reply_to as string | null) ?? null,
    text,
    extracted: (m.extracted as Record<string, unknown> | undefined) ?? {},
  };
}
