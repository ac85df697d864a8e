// graphql-inspector's --onComplete handler: writes the diff's changes as JSON for tools/schema_diff.py, which
// decides what fails (a breaking change without a CHANGELOG.md note). Path from LINI_INSPECTOR_REPORT.
const fs = require("fs");

module.exports = (result) => {
  const pick = (changes) =>
    changes.map((c) => ({ type: c.type, path: c.path || "", message: c.message, level: c.criticality.level }));
  const report = {
    breaking: pick(result.breakingChanges),
    dangerous: pick(result.dangerousChanges),
    safe: pick(result.nonBreakingChanges),
  };
  fs.writeFileSync(process.env.LINI_INSPECTOR_REPORT, JSON.stringify(report, null, 2));
};
