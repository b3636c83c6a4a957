-- SMTP (issue #5): what the inbound MX found about a message's origin (SPF, DKIM, DMARC, ARC
-- verdicts as JSON), shown as `authentication` in the API message object. NULL for messages that
-- did not arrive through the MX (sent, appended, drafts).
ALTER TABLE messages ADD COLUMN authentication_json TEXT;
