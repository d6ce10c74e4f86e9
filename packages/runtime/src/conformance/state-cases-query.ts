import type { LabelTerm } from "../resource/label-query.ts";
import { expectEqual } from "./expect.ts";
import { TEST_KIND, testResource } from "./fixtures.ts";
import type { StateCase } from "./state-cases-crud.ts";

/** `list` ordering, label queries (every operator, inverted) and ID queries. */
export const queryCases: readonly StateCase[] = [
  {
    name: "list returns the kind's resources sorted by ID",
    async run(state) {
      for (const id of ["c", "a", "b"]) await state.create(testResource(id));
      const ids = (await state.list(TEST_KIND)).map((r) => r.metadata.id);
      expectEqual(ids, ["a", "b", "c"], "ids");
      expectEqual(await state.list({ namespace: "empty", type: TEST_KIND.type }), [], "empty collection");
    },
  },
  {
    name: "list filters by label queries",
    async run(state) {
      await state.create(testResource("n1", "v", { role: "cp", size: "2Gi", zone: "a" }));
      await state.create(testResource("n2", "v", { role: "worker", size: "512Mi", zone: "b" }));
      await state.create(testResource("n3", "v", { role: "worker", size: "many" }));
      await state.create(testResource("n4", "v", {}));
      const ids = async (...terms: LabelTerm[]): Promise<string[]> =>
        (await state.list(TEST_KIND, { labelQuery: { terms } })).map((r) => r.metadata.id);

      expectEqual(await ids({ key: "zone", op: "exists" }), ["n1", "n2"], "exists");
      expectEqual(await ids({ key: "zone", op: "exists", invert: true }), ["n3", "n4"], "not exists via invert");
      expectEqual(await ids({ key: "zone", op: "notExists" }), ["n3", "n4"], "notExists");
      expectEqual(await ids({ key: "role", op: "equal", value: ["worker"] }), ["n2", "n3"], "equal");
      expectEqual(await ids({ key: "role", op: "equal", value: ["worker"], invert: true }), ["n1", "n4"], "not equal");
      expectEqual(await ids({ key: "zone", op: "in", value: ["a", "c"] }), ["n1"], "in");
      expectEqual(await ids({ key: "zone", op: "lt", value: ["b"] }), ["n1"], "lt");
      expectEqual(await ids({ key: "zone", op: "lte", value: ["b"] }), ["n1", "n2"], "lte");
      expectEqual(await ids({ key: "size", op: "ltNumeric", value: ["1Gi"] }), ["n2"], "ltNumeric");
      expectEqual(await ids({ key: "size", op: "lteNumeric", value: ["2Gi"] }), ["n1", "n2"], "lteNumeric");
      expectEqual(
        await ids({ key: "size", op: "ltNumeric", value: ["1Gi"], invert: true }),
        ["n1", "n4"],
        "inverted numeric: unparsable values never match, missing labels do",
      );
      expectEqual(
        await ids({ key: "role", op: "equal", value: ["worker"] }, { key: "zone", op: "exists" }),
        ["n2"],
        "terms are ANDed",
      );
      const any = await state.list(TEST_KIND, {
        labelQuery: [
          { terms: [{ key: "role", op: "equal", value: ["cp"] }] },
          { terms: [{ key: "size", op: "equal", value: ["many"] }] },
        ],
      });
      expectEqual(
        any.map((r) => r.metadata.id),
        ["n1", "n3"],
        "queries are ORed",
      );
    },
  },
  {
    name: "list filters by ID regexp",
    async run(state) {
      for (const id of ["eth0", "eth1", "lo", "bond0"]) await state.create(testResource(id));
      const eth = await state.list(TEST_KIND, { idQuery: { regexp: "^eth" } });
      expectEqual(
        eth.map((r) => r.metadata.id),
        ["eth0", "eth1"],
        "string regexp",
      );
      const zeros = await state.list(TEST_KIND, { idQuery: { regexp: /0$/g } });
      expectEqual(
        zeros.map((r) => r.metadata.id),
        ["bond0", "eth0"],
        "RegExp (global flag ignored)",
      );
    },
  },
];
