// @talos/provision: local Talos clusters over a container engine (Docker Engine API: Docker or podman).

export { LABEL_CLUSTER_NAME, LABEL_OWNED, LABEL_TYPE } from "./docker/labels.ts";
export { createDockerProvisioner, DockerProvisioner, type DockerProvisionerOptions } from "./docker/provisioner.ts";
export {
  DEFAULT_CONTROLPLANE_PORTS,
  NODE_TMPFS,
  NODE_VOLUMES,
  podmanSafeCommand,
  STOP_TIMEOUT_SECONDS,
  talosSku,
} from "./docker/spec.ts";
export {
  type ConnectOptions,
  connectEngine,
  DOCKER_SOCKET,
  type Engine,
  PODMAN_CONTAINERS_CONF,
  podmanServicePaths,
  stopEngineService,
} from "./engine.ts";
export {
  type BuildNodeImageOptions,
  type BuildNodeImageResult,
  buildNodeImage,
  DAEMON_NODE_FLAGS,
  NODE_IMAGE_REPOSITORY,
} from "./image/index.ts";
export { gatewayOf, macFromIp, nthAddress, parseCidr } from "./net.ts";
export type {
  ClusterInfo,
  ClusterRequest,
  NetworkInfo,
  NodeInfo,
  NodeRequest,
  NodeType,
  PortMapping,
  Progress,
  Provisioner,
} from "./provisioner.ts";
export { validateClusterRequest } from "./validate.ts";
