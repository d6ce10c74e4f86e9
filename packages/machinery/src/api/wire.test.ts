// Wire facts of the generated Talos v1.6 / COSI v0.3.19 contract: exact bytes for a few messages (tags, wire types)
// and the fully-qualified service names the Go client dials. If one of these fails, proto/ drifted from upstream.
import assert from "node:assert/strict";
import { test } from "node:test";
import { create, fromBinary, getOption, toBinary } from "@bufbuild/protobuf";
import {
  ApplyConfigurationRequest_Mode,
  ApplyConfigurationRequestSchema,
  ClusterService,
  clusterDefs,
  configDefs,
  cosi,
  cosiMeta,
  EtcdMemberStatusSchema,
  InspectService,
  MachineService,
  MetadataSchema,
  networkDefs,
  remove_deprecated_method,
  SecurityService,
  StorageService,
  TimeService,
  VersionResponseSchema,
} from "./index.ts";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const ascii = (s: string): string => Buffer.from(s, "latin1").toString("hex");

test("VersionResponse: messages=1 > Version{metadata=1 > hostname=1, version=2 > tag=1}", () => {
  const msg = create(VersionResponseSchema, {
    messages: [{ metadata: { hostname: "a" }, version: { tag: "v1.6.7" } }],
  });
  // 0a 0f          messages (1, LEN 15)
  //   0a 03        metadata (1, LEN 3)
  //     0a 01 61   hostname (1) "a"
  //   12 08        version (2, LEN 8)
  //     0a 06 ...  tag (1) "v1.6.7"
  assert.equal(
    hex(toBinary(VersionResponseSchema, msg)),
    "0a0f" + "0a03" + "0a0161" + "1208" + "0a06" + ascii("v1.6.7"),
  );
});

test("common.Metadata: hostname=1, error=2, status=3 (google.rpc.Status code=1, message=2)", () => {
  const md = create(MetadataSchema, { hostname: "h", error: "e", status: { code: 14, message: "m" } });
  assert.equal(hex(toBinary(MetadataSchema, md)), "0a0168" + "120165" + "1a05" + "080e" + "12016d");
  const back = fromBinary(MetadataSchema, toBinary(MetadataSchema, md));
  assert.equal(back.status?.code, 14);
});

test("ApplyConfigurationRequest: data=1, mode=4, dry_run=5, try_mode_timeout=6 (tags 2,3 unused)", () => {
  const req = create(ApplyConfigurationRequestSchema, {
    data: new Uint8Array([0x61]),
    mode: ApplyConfigurationRequest_Mode.AUTO,
    dryRun: true,
    tryModeTimeout: { seconds: 60n },
  });
  // 0a 01 61 | 20 01 (4, varint AUTO=1) | 28 01 (5, varint true) | 32 02 08 3c (6, LEN: Duration{seconds=60})
  assert.equal(hex(toBinary(ApplyConfigurationRequestSchema, req)), "0a0161" + "2001" + "2801" + "3202083c");
  assert.equal(ApplyConfigurationRequest_Mode.TRY, 4);
});

test("EtcdMemberStatus.member_id is tag 10 (varint), the other fields start at 1", () => {
  const st = create(EtcdMemberStatusSchema, { memberId: 1n, protocolVersion: "3" });
  assert.equal(hex(toBinary(EtcdMemberStatusSchema, st)), "0a0133" + "5001");
});

test("COSI WatchRequest: namespace=1, type=2, optional id=3, api_version=5", () => {
  const req = create(cosi.WatchRequestSchema, { namespace: "ns", type: "t", id: "x", apiVersion: 1 });
  assert.equal(hex(toBinary(cosi.WatchRequestSchema, req)), "0a026e73" + "120174" + "1a0178" + "2801");
  // `optional` gives id explicit presence: an empty id is still sent (Go distinguishes id-watch from kind-watch).
  const empty = create(cosi.WatchRequestSchema, { id: "" });
  assert.equal(hex(toBinary(cosi.WatchRequestSchema, empty)), "1a00");
  assert.equal(hex(toBinary(cosi.WatchRequestSchema, create(cosi.WatchRequestSchema))), "");
});

test("COSI Metadata: labels=10 and annotations=11 are maps; Event.old=3", () => {
  const md = create(cosi.MetadataSchema, { labels: { a: "b" } });
  // 52 = (10<<3)|2; map entry key=1 "a", value=2 "b"
  assert.equal(hex(toBinary(cosi.MetadataSchema, md)), "5206" + "0a0161" + "120162");
  const ann = create(cosi.MetadataSchema, { annotations: { a: "b" } });
  assert.equal(hex(toBinary(cosi.MetadataSchema, ann)).slice(0, 2), "5a");
  const ev = create(cosi.EventSchema, { eventType: cosi.EventType.BOOTSTRAPPED, old: {} });
  assert.equal(hex(toBinary(cosi.EventSchema, ev)), "1003" + "1a00");
});

test("resource specs: Member.machine_type=4, MachineTypeSpec, fixed32 VLAN id, RD sensitivity=7", () => {
  const member = create(clusterDefs.MemberSpecSchema, { nodeId: "n", machineType: 2 });
  assert.equal(hex(toBinary(clusterDefs.MemberSpecSchema, member)), "0a016e" + "2002");
  const mt = create(configDefs.MachineTypeSpecSchema, { machineType: configDefs.MachineType.WORKER });
  assert.equal(hex(toBinary(configDefs.MachineTypeSpecSchema, mt)), "0803");
  const vlan = create(networkDefs.VLANSpecSchema, { vid: 100 });
  assert.equal(hex(toBinary(networkDefs.VLANSpecSchema, vlan)), "0d64000000");
  const rd = create(cosiMeta.ResourceDefinitionSpecSchema, {
    sensitivity: cosiMeta.ResourceDefinitionSpec_Sensitivity.SENSITIVE,
  });
  assert.equal(hex(toBinary(cosiMeta.ResourceDefinitionSpecSchema, rd)), "3801");
});

test("service names, method names and streaming kinds match the Go client", () => {
  assert.equal(MachineService.typeName, "machine.MachineService");
  assert.equal(cosi.State.typeName, "cosi.resource.State");
  assert.equal(SecurityService.typeName, "securityapi.SecurityService");
  assert.equal(StorageService.typeName, "storage.StorageService");
  assert.equal(ClusterService.typeName, "cluster.ClusterService");
  assert.equal(TimeService.typeName, "time.TimeService");
  assert.equal(InspectService.typeName, "inspect.InspectService");

  assert.equal(Object.keys(MachineService.method).length, 51);
  assert.equal(MachineService.method.etcdRemoveMemberByID.name, "EtcdRemoveMemberByID");
  assert.equal(MachineService.method.cPUInfo.name, "CPUInfo");
  assert.equal(MachineService.method.version.methodKind, "unary");
  assert.equal(MachineService.method.events.methodKind, "server_streaming");
  assert.equal(MachineService.method.etcdRecover.methodKind, "client_streaming");
  assert.equal(cosi.State.method.watch.methodKind, "server_streaming");
  assert.equal(cosi.State.method.list.methodKind, "server_streaming");
  assert.equal(getOption(MachineService.method.etcdRemoveMember, remove_deprecated_method), "v1.7");
});
