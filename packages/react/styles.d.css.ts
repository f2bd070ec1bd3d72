/* oxlint-disable unicorn/no-empty-file -- a declaration with nothing to declare is the point */
// The stylesheet has no exports: this lets TypeScript accept `import '@sluice/react/styles.css'`
// in a project without a bundler's declarations for CSS.
