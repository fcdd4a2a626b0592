// SPDX-License-Identifier: Apache-2.0
#include "schema.h"

namespace benchdeck::store {

const char* currentSchemaSql()
{
    // Times are ISO 8601 UTC text; durations are microseconds or seconds as the column says.
    // Runs keep a JSON snapshot of the plan as run, so later edits of a target never rewrite history.
    return R"SQL(
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE candidates (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, stack TEXT NOT NULL DEFAULT '', notes TEXT NOT NULL DEFAULT '');
CREATE TABLE targets (
  id INTEGER PRIMARY KEY,
  candidate_id INTEGER REFERENCES candidates(id) ON DELETE SET NULL,
  name TEXT NOT NULL DEFAULT '', url TEXT NOT NULL, method TEXT NOT NULL DEFAULT 'GET',
  headers_json TEXT NOT NULL DEFAULT '[]', body BLOB, http_version TEXT NOT NULL DEFAULT '1.1',
  insecure INTEGER NOT NULL DEFAULT 0, follow_redirects INTEGER NOT NULL DEFAULT 0,
  request_timeout_us INTEGER NOT NULL DEFAULT 30000000, connect_timeout_us INTEGER NOT NULL DEFAULT 10000000,
  server_pid INTEGER, server_command TEXT, artifact_paths TEXT NOT NULL DEFAULT '',
  streams INTEGER NOT NULL DEFAULT 1, cacert TEXT NOT NULL DEFAULT '', scenario_json TEXT NOT NULL DEFAULT '');
CREATE TABLE profiles (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, model TEXT NOT NULL DEFAULT 'closed',
  connections INTEGER NOT NULL DEFAULT 10, threads INTEGER NOT NULL DEFAULT 0,
  duration_us INTEGER NOT NULL DEFAULT 0, requests INTEGER NOT NULL DEFAULT 0, warmup_us INTEGER NOT NULL DEFAULT 0,
  rate REAL, stages TEXT, thresholds_json TEXT NOT NULL DEFAULT '[]');
CREATE TABLE runs (
  id INTEGER PRIMARY KEY, label TEXT NOT NULL DEFAULT '',
  target_id INTEGER REFERENCES targets(id) ON DELETE SET NULL,
  profile_id INTEGER REFERENCES profiles(id) ON DELETE SET NULL,
  url TEXT NOT NULL, profile TEXT NOT NULL, plan_json TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'interrupted', 'failed')),
  started_at TEXT NOT NULL, finished_at TEXT, environment_json TEXT NOT NULL DEFAULT '{}',
  secrets_withheld INTEGER NOT NULL DEFAULT 0, engine TEXT NOT NULL DEFAULT '',
  failure_reason TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '',
  baseline INTEGER NOT NULL DEFAULT 0, deleted_at TEXT);
CREATE INDEX runs_by_start ON runs(started_at);
CREATE TABLE run_summaries (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  requests INTEGER NOT NULL, responses INTEGER NOT NULL, errors INTEGER NOT NULL,
  warmup_requests INTEGER NOT NULL, duration_s REAL NOT NULL, rps REAL NOT NULL,
  bytes_received INTEGER NOT NULL, bytes_sent INTEGER NOT NULL, connections_opened INTEGER NOT NULL,
  mean_us REAL NOT NULL, p50_us INTEGER NOT NULL, p90_us INTEGER NOT NULL, p99_us INTEGER NOT NULL,
  p999_us INTEGER NOT NULL, max_us INTEGER NOT NULL,
  generator_cpu_percent REAL NOT NULL, generator_saturated INTEGER NOT NULL, generator_json TEXT NOT NULL,
  unanswered_at_end INTEGER NOT NULL DEFAULT 0, schedule_json TEXT NOT NULL DEFAULT '{}');
CREATE TABLE run_series (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, t REAL NOT NULL, seconds REAL NOT NULL,
  requests INTEGER NOT NULL, errors INTEGER NOT NULL, bytes_received INTEGER NOT NULL,
  p50_us INTEGER NOT NULL, p90_us INTEGER NOT NULL, p99_us INTEGER NOT NULL, max_us INTEGER NOT NULL,
  mean_us REAL NOT NULL, cpu_percent REAL NOT NULL, latency BLOB NOT NULL,
  PRIMARY KEY (run_id, t)) WITHOUT ROWID;
CREATE TABLE run_histograms (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('latency', 'connect', 'tls', 'ttfb')), data BLOB NOT NULL,
  PRIMARY KEY (run_id, kind)) WITHOUT ROWID;
CREATE TABLE run_status_codes (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, code INTEGER NOT NULL, count INTEGER NOT NULL,
  PRIMARY KEY (run_id, code)) WITHOUT ROWID;
CREATE TABLE run_error_kinds (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, kind TEXT NOT NULL, count INTEGER NOT NULL,
  first_message TEXT NOT NULL DEFAULT '', PRIMARY KEY (run_id, kind)) WITHOUT ROWID;
CREATE TABLE server_samples (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, t REAL NOT NULL,
  rss_bytes INTEGER NOT NULL, cpu_us INTEGER NOT NULL, PRIMARY KEY (run_id, t)) WITHOUT ROWID;
CREATE TABLE decision_settings (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);
CREATE TABLE decision_scores (
  need TEXT NOT NULL, criterion TEXT NOT NULL,
  candidate_id INTEGER NOT NULL REFERENCES candidates(id) ON DELETE CASCADE, score REAL NOT NULL,
  PRIMARY KEY (need, criterion, candidate_id));
CREATE TABLE ui_state (key TEXT PRIMARY KEY, value_json TEXT NOT NULL);
CREATE TABLE run_steps (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
  scenario TEXT NOT NULL, step TEXT NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL,
  transport_errors INTEGER NOT NULL, checks INTEGER NOT NULL, checks_failed INTEGER NOT NULL,
  failed INTEGER NOT NULL, not_sent INTEGER NOT NULL, latency BLOB NOT NULL,
  PRIMARY KEY (run_id, ordinal)) WITHOUT ROWID;
CREATE TABLE run_scenarios (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  iterations_started INTEGER NOT NULL, iterations_failed INTEGER NOT NULL, iterations BLOB NOT NULL,
  first_problem TEXT NOT NULL DEFAULT '', stop_message TEXT NOT NULL DEFAULT '');
)SQL";
}

std::span<const Migration> migrations()
{
    static constexpr Migration kMigrations[] = {
        // 1 -> 2: runs say why they failed. Schema 1 stored every plan as a closed-model one (rate,
        // stages and the open model were dropped), so those plans are marked as not recorded rather
        // than guessed, and a run that never got a response is failed, not completed.
        {2, R"SQL(
ALTER TABLE runs ADD COLUMN failure_reason TEXT NOT NULL DEFAULT '';
UPDATE runs SET profile = 'plan not recorded';
UPDATE runs SET status = 'failed', failure_reason = 'no response from the server'
  WHERE status IN ('completed', 'stopped') AND id IN (SELECT run_id FROM run_summaries WHERE responses = 0);
)SQL"},
        // 2 -> 3: a run keeps the requests still unanswered at its end, and the open model's schedule
        // figures (intended and achieved rate, late sends), which schema 2 showed once and dropped.
        // Older runs read 0 and "not recorded" rather than a guess. A target may name the files and
        // folders its server is deployed as, whose size each run measures.
        {3, R"SQL(
ALTER TABLE targets ADD COLUMN artifact_paths TEXT NOT NULL DEFAULT '';
ALTER TABLE run_summaries ADD COLUMN unanswered_at_end INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run_summaries ADD COLUMN schedule_json TEXT NOT NULL DEFAULT '{}';
)SQL"},
        // 3 -> 4: runs can be annotated (a note, one baseline) and deleted with undo: a deleted run is
        // hidden at once and removed when the session is closed, so the window can bring it back until
        // then. Profiles carry thresholds, which travel into each run's plan. Error kinds keep their
        // first failure's own words.
        {4, R"SQL(
ALTER TABLE run_error_kinds ADD COLUMN first_message TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN baseline INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN deleted_at TEXT;
ALTER TABLE profiles ADD COLUMN thresholds_json TEXT NOT NULL DEFAULT '[]';
)SQL"},
        // 4 -> 5: an HTTP/2 target says how many streams each connection carries (each one user), and
        // a TLS target may trust a private CA's certificate file besides the system's store.
        {5, R"SQL(
ALTER TABLE targets ADD COLUMN streams INTEGER NOT NULL DEFAULT 1;
ALTER TABLE targets ADD COLUMN cacert TEXT NOT NULL DEFAULT '';
)SQL"},
        // 5 -> 6: scenario runs (docs/scenarios.md) keep each step's figures (its latency histogram,
        // answers, errors, checks, unsent steps) and their iterations; the plan's JSON already holds
        // the scenario itself. Runs from before have no steps and read as single-URL runs, as they were.
        // A target may be a scenario (imported or edited in the app) instead of one request.
        {6, R"SQL(
ALTER TABLE targets ADD COLUMN scenario_json TEXT NOT NULL DEFAULT '';
CREATE TABLE run_steps (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
  scenario TEXT NOT NULL, step TEXT NOT NULL, requests INTEGER NOT NULL, errors INTEGER NOT NULL,
  transport_errors INTEGER NOT NULL, checks INTEGER NOT NULL, checks_failed INTEGER NOT NULL,
  failed INTEGER NOT NULL, not_sent INTEGER NOT NULL, latency BLOB NOT NULL,
  PRIMARY KEY (run_id, ordinal)) WITHOUT ROWID;
CREATE TABLE run_scenarios (
  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  iterations_started INTEGER NOT NULL, iterations_failed INTEGER NOT NULL, iterations BLOB NOT NULL,
  first_problem TEXT NOT NULL DEFAULT '', stop_message TEXT NOT NULL DEFAULT '');
)SQL"},
    };
    return kMigrations;
}

} // namespace benchdeck::store
