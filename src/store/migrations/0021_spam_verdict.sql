-- The spam verdict of a message the MX scored for its account's policy (API `spam`).
ALTER TABLE messages ADD COLUMN spam_json TEXT;
