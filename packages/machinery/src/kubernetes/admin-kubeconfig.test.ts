import "reflect-metadata";
import assert from "node:assert/strict";
import { test } from "node:test";
import { parse } from "yaml";
import { generateSecretsBundle, inspectCertificate, verifyCertificate } from "../secrets/index.ts";
import { generateAdminKubeconfig } from "./admin-kubeconfig.ts";

test("admin kubeconfig: names, server, and a client certificate signed by the Kubernetes CA", async () => {
  const bundle = await generateSecretsBundle({});
  const text = await generateAdminKubeconfig({
    clusterName: "demo",
    endpoint: "https://10.5.0.2:6443",
    kubernetesCA: bundle.certs.k8s,
  });
  const kc = parse(text);
  assert.equal(kc["current-context"], "admin@demo");
  assert.equal(kc.clusters[0].cluster.server, "https://10.5.0.2:6443");
  assert.equal(kc.contexts[0].context.namespace, "default");
  const crt = Buffer.from(kc.users[0].user["client-certificate-data"], "base64").toString();
  const ca = Buffer.from(bundle.certs.k8s.crt, "base64").toString();
  assert.ok(await verifyCertificate(crt, ca));
  const info = inspectCertificate(crt);
  assert.equal(info.subject.commonName, "admin");
  assert.deepEqual(info.subject.organization, ["system:masters"]);
});
