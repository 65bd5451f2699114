// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ReentrantReceiver
/// @notice Test account that, when armed, re-enters a target with prepared calldata (e.g. `claimEvent`,
/// `claimChannel`, `batchClaim`, `withdrawUnclaimed`, `withdraw`) from its `receive` hook, and records
/// whether the re-entry succeeded. It never reverts the outer transfer itself, so a test sees the outer
/// call complete and can check that the inner one failed and that state stayed consistent.
contract ReentrantReceiver {
    /// @notice Contract re-entered from `receive`.
    address public reentryTarget;
    /// @notice Calldata sent to `reentryTarget` on the next incoming ETH transfer.
    bytes public reentryData;
    /// @notice True while the next ETH transfer triggers a re-entry (disarmed after one attempt).
    bool public armed;
    /// @notice Number of re-entries attempted.
    uint256 public attempts;
    /// @notice True if the last re-entry succeeded.
    bool public lastSucceeded;
    /// @notice True if any re-entry ever succeeded.
    bool public anySucceeded;
    /// @notice Revert data of the last re-entry (empty if it succeeded).
    bytes public lastRevertData;
    /// @notice ETH received so far (outer transfers only).
    uint256 public received;

    /// @notice Emitted after each re-entry attempt.
    event ReentryAttempted(address indexed target, bool indexed succeeded, bytes returnOrRevertData);

    /// @notice Arms a single re-entry into `target` with `data` on the next incoming ETH transfer.
    function arm(address target, bytes calldata data) external {
        reentryTarget = target;
        reentryData = data;
        armed = true;
    }

    /// @notice Disarms the pending re-entry.
    function disarm() external {
        armed = false;
    }

    /// @notice Accepts ETH; if armed, re-enters once and records the result without reverting.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        received += msg.value;
        if (!armed) return;
        armed = false;
        ++attempts;
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = reentryTarget.call(reentryData);
        lastSucceeded = ok;
        if (ok) anySucceeded = true;
        lastRevertData = ok ? bytes("") : ret;
        emit ReentryAttempted(reentryTarget, ok, ret);
    }

    /// @notice Any call as this contract (claims, brand actions, staking); bubbles up reverts.
    function forward(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{ value: msg.value }(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
