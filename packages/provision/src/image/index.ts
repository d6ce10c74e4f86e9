// The node image builder's public surface (talosctl and the provisioner call `buildNodeImage`).
export {
  type BuildNodeImageOptions,
  type BuildNodeImageResult,
  buildNodeImage,
  DAEMON_NODE_FLAGS,
  NODE_IMAGE_REPOSITORY,
  type NodeImageConfig,
  nodeImageConfig,
} from "./build.ts";
export { IMAGE_PATHS } from "./rootfs.ts";
