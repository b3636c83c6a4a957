/** The rule engine's audit trail: one row per evaluation, written in the unit that acted on it. */
import { newTimeUuid } from "../../ids.ts";
import type { AppliedActions, EvaluationInput, EvaluationStage } from "../../rule-engine/vocabulary.ts";
import type { Tx } from "../../store/db.ts";

export interface EvaluationRecord {
  applicationId: string;
  grantId: string;
  /** The stored message (or sent copy); null when nothing was stored. */
  messageId: string | null;
  stage: EvaluationStage;
  input: EvaluationInput;
  applied: AppliedActions;
  matchedRuleIds: string[];
  /** Unix seconds. */
  evaluatedAt: number;
}

/** Plain SQL: an inbound message with rules in force writes one per copy. */
export function insertRuleEvaluation(tx: Tx, r: EvaluationRecord): string {
  const id = newTimeUuid();
  tx.$client
    .prepare(
      `INSERT INTO rule_evaluations
         (id, application_id, grant_id, message_id, stage, input_json, applied_json, matched_rule_ids_json, evaluated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      r.applicationId,
      r.grantId,
      r.messageId,
      r.stage,
      JSON.stringify(r.input),
      JSON.stringify(r.applied),
      JSON.stringify(r.matchedRuleIds),
      r.evaluatedAt,
    );
  return id;
}
