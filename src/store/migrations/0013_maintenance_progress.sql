-- A maintenance task records how far it got (the last messages.rowid it finished), so a stop in
-- the middle resumes there at the next start instead of starting over.
ALTER TABLE maintenance_tasks ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
