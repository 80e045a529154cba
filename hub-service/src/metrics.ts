// Prometheus metrics (/metrics): counts and durations only, never data.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly submitted = new Counter({
    name: 'hbroker_jobs_submitted_total',
    help: 'Jobs accepted by the API',
    registers: [this.registry]
  });
  readonly transitions = new Counter({
    name: 'hbroker_job_transitions_total',
    help: 'Job state changes, by the state entered',
    labelNames: ['state'],
    registers: [this.registry]
  });
  readonly rejectedSubmissions = new Counter({
    name: 'hbroker_submissions_refused_total',
    help: 'Submissions refused at validation, by error code',
    labelNames: ['code'],
    registers: [this.registry]
  });
  readonly runSeconds = new Histogram({
    name: 'hbroker_run_seconds',
    help: 'Sandbox run time per job, by outcome',
    labelNames: ['outcome'],
    buckets: [1, 2, 5, 10, 30, 60, 300, 900, 3600],
    registers: [this.registry]
  });
  readonly activeJobs = new Gauge({
    name: 'hbroker_jobs_active',
    help: 'Jobs being processed by this service',
    registers: [this.registry]
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'hbroker_' });
  }
}
