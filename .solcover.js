// solidity-coverage: measure the production contracts only. Test helpers and mocks live in contracts/test/;
// contracts/vendor/ holds Multicall3, a verbatim copy of the contract deployed on nearly every chain, which the
// local setup installs at its standard address for the scorer's batched balance reads (not our code to cover).
module.exports = {
  skipFiles: ["test/", "vendor/"],
};
