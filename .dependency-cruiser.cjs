/** The import direction is the architecture (docs/ARCHITECTURE.md). */
module.exports = {
  forbidden: [
    {
      name: "contract-is-a-leaf",
      severity: "error",
      from: { path: "^src/contract" },
      to: { path: "^src/(domain|storage|services|jobs|server|cli)" },
    },
    {
      name: "domain-is-pure",
      severity: "error",
      from: { path: "^src/domain" },
      to: { path: "^src/(storage|services|jobs|server|cli)" },
    },
    {
      name: "storage-below-services",
      severity: "error",
      from: { path: "^src/storage" },
      to: { path: "^src/(services|jobs|server|cli)" },
    },
    {
      name: "jobs-below-services",
      severity: "error",
      from: { path: "^src/jobs" },
      to: { path: "^src/(server|cli)" },
    },
    {
      name: "services-below-entrypoints",
      severity: "error",
      from: { path: "^src/services" },
      to: { path: "^src/(server|cli)" },
    },
    {
      name: "server-and-cli-apart",
      severity: "error",
      from: { path: "^src/server" },
      to: { path: "^src/cli" },
    },
    {
      name: "only-storage-knows-the-engine",
      severity: "error",
      from: { pathNot: "^src/storage" },
      to: { path: "node_modules/(pg|@electric-sql/pglite)/" },
    },
    { name: "no-circular", severity: "error", from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
    },
  },
};
