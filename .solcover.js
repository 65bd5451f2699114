// solidity-coverage: measure the production contracts only (test helpers and mocks live in contracts/test/).
module.exports = {
  skipFiles: ["test/"],
};
