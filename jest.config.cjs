// Lets `npx jest <file>` run from the workspace root across every project.
module.exports = { projects: ['<rootDir>/libs/*', '<rootDir>/apps/*'] };
