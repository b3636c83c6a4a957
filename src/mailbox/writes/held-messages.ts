/** Messages held for review (hold_for_review): what the hold and the release write in their units. */
import { eq } from "drizzle-orm";
import type { Db, Tx } from "../../store/db.ts";
import { type HeldMessageRow, heldMessages } from "../../store/schema.ts";

export function insertHeld(tx: Tx, row: HeldMessageRow): void {
  tx.insert(heldMessages).values(row).run();
}

/** Takes the held row for its release: false when there is none (released or discarded already). */
export function takeHeld(tx: Tx, messageId: string): boolean {
  return tx.$client.prepare("DELETE FROM held_messages WHERE message_id = ?").run(messageId).changes > 0;
}

export function findHeld(db: Db, messageId: string): HeldMessageRow | undefined {
  return db.select().from(heldMessages).where(eq(heldMessages.messageId, messageId)).get();
}

/** The accounts that have messages waiting for review (the release watch starts with them). */
export function grantsWithHeld(db: Db): string[] {
  return db
    .selectDistinct({ grantId: heldMessages.grantId })
    .from(heldMessages)
    .all()
    .map((r) => r.grantId);
}
