import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatTable } from "./tab-writer.ts";

describe("formatTable", () => {
  it("pads every cell but the last to the column width plus padding", () => {
    assert.equal(
      formatTable([
        ["CURRENT", "NAME", "ENDPOINTS", "NODES"],
        ["*", "a-long-name", "1.1.1.1", ""],
        ["", "b", "", "2.2.2.2"],
      ]),
      "CURRENT   NAME          ENDPOINTS   NODES\n" +
        "*         a-long-name   1.1.1.1     \n" +
        "          b                         2.2.2.2\n",
    );
  });

  it("counts code points, not UTF-16 units", () => {
    assert.equal(
      formatTable(
        [
          ["ä😀", "x"],
          ["ab", "y"],
        ],
        1,
      ),
      "ä😀 x\nab y\n",
    );
  });
});
