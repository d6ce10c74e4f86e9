import { newKind, newPointer, type Pointer } from "../resource/pointer.ts";
import { newResource, type Resource } from "../resource/resource.ts";
import type { WatchEvent } from "../state/state.ts";

/** Spec of the resources the suites play with. */
export interface TestSpec {
  value: string;
  count?: number;
}

/** The kind the suites use (`conformance` namespace). */
export const TEST_KIND = newKind<TestSpec>("conformance", "TestResources.conformance.dev");

/** Pointer to test resource `id`. */
export function testPointer(id: string): Pointer<TestSpec> {
  return newPointer(TEST_KIND, id);
}

/** A fresh test resource. */
export function testResource(id: string, value = "v", labels: Record<string, string> = {}): Resource<TestSpec> {
  return newResource(testPointer(id), { value }, { labels });
}

/** `type:id@version` of an event, for compact order assertions. */
export function describeEvent(event: WatchEvent<unknown>): string {
  if (event.type === "bootstrapped") return "bootstrapped";
  if (event.type === "errored") return "errored";
  const md = event.resource.metadata;
  return `${event.type}:${md.id}@${md.version}`;
}

/** An updater setting `spec.value`. */
export function setValue(value: string): (res: Resource<TestSpec>) => void {
  return (res) => {
    res.spec.value = value;
  };
}

/** An updater setting one label. */
export function setLabel(key: string, value: string): (res: Resource<TestSpec>) => void {
  return (res) => {
    res.metadata.labels[key] = value;
  };
}
