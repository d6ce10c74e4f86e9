/**
 * machined's service supervisor: Talos's `system` package (services, runners, restart policies, health,
 * per-service log buffers).
 */
export { pollCondition, waitForAll, waitForFilesToExist, waitForFileToExist } from "./condition.ts";
export { MAX_EVENTS_TO_KEEP, type ServiceEvent, ServiceEventRing } from "./events.ts";
export { type GoroutineMain, GoroutineRunner, type GoroutineRunnerOptions } from "./goroutine-runner.ts";
export { HealthState, runHealthChecks, type ServiceHealth } from "./health.ts";
export {
  LOG_BUFFER_INITIAL_SIZE,
  LOG_BUFFER_MAX_SIZE,
  LogBuffer,
  type LogBufferOptions,
  type LogFollowOptions,
  type LogReadOptions,
  LogRegistry,
  type LogSink,
} from "./log-buffer.ts";
export {
  DEFAULT_GRACEFUL_SHUTDOWN_MS,
  DEFAULT_SERVICE_PATH,
  exitErrorText,
  ProcessRunner,
  type ProcessRunnerOptions,
} from "./process-runner.ts";
export { DEFAULT_RESTART_DELAY_MS, type RestartOptions, RestartPolicy, RestartRunner } from "./restart-runner.ts";
export {
  type Condition,
  DEFAULT_HEALTH_INITIAL_DELAY_MS,
  DEFAULT_HEALTH_PERIOD_MS,
  DEFAULT_HEALTH_TIMEOUT_MS,
  type EventSink,
  type HealthCheck,
  type Runner,
  type RunnerContext,
  type Service,
} from "./service.ts";
export type { ServiceInfo, ServiceStateChange } from "./service-runner.ts";
export { inState, ServiceState, type StateEvent, serviceStateName } from "./state.ts";
export {
  ApiNotAllowedError,
  DEFAULT_CONDITION_CHECK_INTERVAL_MS,
  DEFAULT_REVERSE_DEPENDENCY_TIMEOUT_MS,
  type ServiceEventListener,
  ServiceNotDefinedError,
  type StopOptions,
  Supervisor,
  type SupervisorOptions,
} from "./supervisor.ts";
