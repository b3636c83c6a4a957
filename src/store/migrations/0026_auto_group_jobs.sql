-- POST /v3/workspaces/auto-group runs in the background; its progress and outcome, kept so that
-- GET /v3/workspaces/auto-group/{job_id} can answer after the job ended (or the process did).
CREATE TABLE auto_group_jobs (
  id TEXT PRIMARY KEY,
  application_id TEXT NOT NULL,
  status TEXT NOT NULL,
  filter_json TEXT NOT NULL,
  grants_matched INTEGER,
  grants_moved INTEGER,
  error TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX auto_group_jobs_running ON auto_group_jobs(status) WHERE status = 'running';
