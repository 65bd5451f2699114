// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

// Forwarding arbitrary calls is what a multicall is for: the low-level calls below are the point.
// solhint-disable avoid-low-level-calls

/// @title Multicall3
/// @notice Batches read calls (and optionally value-carrying calls) into one. ABI-compatible with the
/// canonical Multicall3 deployed at 0xcA11bde05977b3631167028862bE2a173976CA11 on most EVM chains: the
/// claim page and the brand console batch their `eth_call`s through that address. Tests and local nodes
/// install this contract's runtime code there with `hardhat_setCode` (see scripts/lib/multicall.ts).
/// @dev Written for this project against the published Multicall3 interface; failures revert with
/// {Multicall3_CallFailed} instead of the canonical revert string (the project's lint requires custom errors).
contract Multicall3 {
    struct Call {
        address target;
        bytes callData;
    }

    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Call3Value {
        address target;
        bool allowFailure;
        uint256 value;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    /// @notice A call that was not allowed to fail did fail.
    error Multicall3_CallFailed(uint256 index);
    /// @notice aggregate3Value: msg.value differs from the sum of the calls' values.
    error Multicall3_ValueMismatch(uint256 sent, uint256 expected);

    /// @notice Runs every call; reverts if one fails. Returns the block number and the return data.
    function aggregate(Call[] calldata calls) external payable returns (uint256 blockNumber, bytes[] memory returnData) {
        blockNumber = block.number;
        returnData = new bytes[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool success, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (!success) revert Multicall3_CallFailed(i);
            returnData[i] = ret;
        }
    }

    /// @notice Runs every call; reverts on a failure only when `requireSuccess`.
    function tryAggregate(bool requireSuccess, Call[] calldata calls) public payable returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool success, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (requireSuccess && !success) revert Multicall3_CallFailed(i);
            returnData[i] = Result(success, ret);
        }
    }

    /// @notice {tryAggregate} plus the block number and hash it ran in.
    function tryBlockAndAggregate(
        bool requireSuccess,
        Call[] calldata calls
    ) public payable returns (uint256 blockNumber, bytes32 blockHash, Result[] memory returnData) {
        blockNumber = block.number;
        blockHash = blockhash(block.number);
        returnData = tryAggregate(requireSuccess, calls);
    }

    /// @notice {tryBlockAndAggregate} with every call required to succeed.
    function blockAndAggregate(
        Call[] calldata calls
    ) external payable returns (uint256 blockNumber, bytes32 blockHash, Result[] memory returnData) {
        return tryBlockAndAggregate(true, calls);
    }

    /// @notice Runs every call; each one says whether it may fail without reverting the batch.
    function aggregate3(Call3[] calldata calls) external payable returns (Result[] memory returnData) {
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            (bool success, bytes memory ret) = calls[i].target.call(calls[i].callData);
            if (!calls[i].allowFailure && !success) revert Multicall3_CallFailed(i);
            returnData[i] = Result(success, ret);
        }
    }

    /// @notice {aggregate3} with a value per call; msg.value must equal their sum.
    function aggregate3Value(Call3Value[] calldata calls) external payable returns (Result[] memory returnData) {
        uint256 total = 0;
        returnData = new Result[](calls.length);
        for (uint256 i = 0; i < calls.length; ++i) {
            total += calls[i].value;
            (bool success, bytes memory ret) = calls[i].target.call{ value: calls[i].value }(calls[i].callData);
            if (!calls[i].allowFailure && !success) revert Multicall3_CallFailed(i);
            returnData[i] = Result(success, ret);
        }
        if (msg.value != total) revert Multicall3_ValueMismatch(msg.value, total);
    }

    /// @notice The hash of block `blockNumber` (one of the last 256).
    function getBlockHash(uint256 blockNumber) external view returns (bytes32 blockHash) {
        blockHash = blockhash(blockNumber);
    }

    /// @notice The current block number.
    function getBlockNumber() external view returns (uint256 blockNumber) {
        blockNumber = block.number;
    }

    /// @notice The current block's coinbase.
    function getCurrentBlockCoinbase() external view returns (address coinbase) {
        coinbase = block.coinbase;
    }

    /// @notice The current block's prevrandao (named difficulty in the canonical ABI).
    function getCurrentBlockDifficulty() external view returns (uint256 difficulty) {
        difficulty = block.prevrandao;
    }

    /// @notice The current block's gas limit.
    function getCurrentBlockGasLimit() external view returns (uint256 gaslimit) {
        gaslimit = block.gaslimit;
    }

    /// @notice The current block's timestamp: the "now" the contracts compare against.
    function getCurrentBlockTimestamp() external view returns (uint256 timestamp) {
        timestamp = block.timestamp;
    }

    /// @notice The ETH balance of `addr`.
    function getEthBalance(address addr) external view returns (uint256 balance) {
        balance = addr.balance;
    }

    /// @notice The previous block's hash.
    function getLastBlockHash() external view returns (bytes32 blockHash) {
        unchecked {
            blockHash = blockhash(block.number - 1);
        }
    }

    /// @notice The current block's base fee.
    function getBasefee() external view returns (uint256 basefee) {
        basefee = block.basefee;
    }

    /// @notice The chain id.
    function getChainId() external view returns (uint256 chainid) {
        chainid = block.chainid;
    }
}
