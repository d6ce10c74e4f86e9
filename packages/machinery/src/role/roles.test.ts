import assert from "node:assert/strict";
import { test } from "node:test";
import { effectiveRoles, isAuthorized, rolesFromOrganization } from "./roles.ts";

test("the authorization table follows Talos", () => {
  const v = "/machine.MachineService/Version";
  assert.ok(isAuthorized(v, ["os:reader"]));
  assert.ok(!isAuthorized(v, ["os:etcd:backup"]));
  assert.ok(isAuthorized("/machine.MachineService/EtcdSnapshot", ["os:etcd:backup"]));
  assert.ok(!isAuthorized("/machine.MachineService/Reboot", ["os:reader"]));
  assert.ok(isAuthorized("/machine.MachineService/Reboot", ["os:operator"]));
  assert.ok(!isAuthorized("/machine.MachineService/ApplyConfiguration", ["os:operator"]));
  // Unlisted methods need admin.
  assert.ok(!isAuthorized("/machine.MachineService/NoSuch", ["os:operator", "os:reader"]));
  assert.ok(isAuthorized("/machine.MachineService/NoSuch", ["os:admin"]));
  assert.ok(!isAuthorized(v, []));
  assert.ok(!isAuthorized(v, ["os:unknown"]));
});

test("roles come from the certificate unless an impersonator asserts others", () => {
  assert.deepEqual(rolesFromOrganization(["os:admin", " ", "os:admin", "x"]), ["os:admin", "x"]);
  assert.deepEqual(effectiveRoles(["os:impersonator"], ["os:reader"]), ["os:reader"]);
  assert.deepEqual(effectiveRoles(["os:impersonator"], undefined), ["os:impersonator"]);
  assert.deepEqual(effectiveRoles(["os:admin"], ["os:reader"]), ["os:admin"]);
});
