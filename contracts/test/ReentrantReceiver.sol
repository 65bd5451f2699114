// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title ReentrantReceiver
/// @notice Test account that, when armed, re-enters a target with prepared calldata (e.g. `claimEvent`,
/// `claimChannel`, `batchClaim`, `withdrawUnclaimed`, `withdraw`) from its `receive` hook, and records
/// whether the re-entry succeeded. It never reverts the outer transfer itself, so a test sees the outer
/// call complete and can check that the inner one failed and that state stayed consistent.
/// @dev Built to stay within the gas a payout forwards (Funds.ETH_PAYOUT_GAS = 50,000), as a real wallet must:
/// the armed calldata lives in the code of a small data contract (read with one EXTCODECOPY instead of one
/// SLOAD per word), the bookkeeping shares one slot, and every slot is non-zero from construction so updating
/// it never pays for a fresh slot.
contract ReentrantReceiver {
    /// @dev target (160) | attempts (64) | armed (8) | lastSucceeded (8) | anySucceeded (8), one slot.
    uint256 private _state;
    /// @dev The contract whose code is the armed calldata (after a leading 0x00 byte).
    address private _data;
    /// @dev ETH received so far, plus one (so the slot is never zero).
    uint256 private _receivedPlusOne = 1;
    /// @dev Revert data of the last re-entry, behind a marker byte (so the slot is never empty).
    bytes private _lastRevertData = hex"00";

    /// @notice Emitted after each re-entry attempt.
    event ReentryAttempted(address indexed target, bool indexed succeeded, bytes returnOrRevertData);

    constructor() {
        _state = 1 << 232; // lastSucceeded = true placeholder, cleared by the first attempt
    }

    /// @notice Contract re-entered from `receive`.
    function reentryTarget() external view returns (address) {
        return address(uint160(_state));
    }

    /// @notice Number of re-entries attempted.
    function attempts() external view returns (uint256) {
        return uint64(_state >> 160);
    }

    /// @notice True while the next ETH transfer triggers a re-entry (disarmed after one attempt).
    function armed() external view returns (bool) {
        return uint8(_state >> 224) != 0;
    }

    /// @notice True if the last re-entry succeeded (false before any attempt).
    function lastSucceeded() external view returns (bool) {
        return uint64(_state >> 160) != 0 && uint8(_state >> 232) != 0;
    }

    /// @notice True if any re-entry ever succeeded.
    function anySucceeded() external view returns (bool) {
        return uint8(_state >> 240) != 0;
    }

    /// @notice Revert data of the last re-entry (empty if it succeeded or none was attempted).
    function lastRevertData() external view returns (bytes memory out) {
        bytes memory stored = _lastRevertData;
        out = new bytes(stored.length - 1);
        for (uint256 i = 1; i < stored.length; ++i) out[i - 1] = stored[i];
    }

    /// @notice ETH received so far (outer transfers only).
    function received() external view returns (uint256) {
        return _receivedPlusOne - 1;
    }

    /// @notice Arms a single re-entry into `target` with `data` on the next incoming ETH transfer.
    function arm(address target, bytes calldata data) external {
        // A contract whose runtime code is 0x00 ‖ data (the STOP byte keeps it from ever running).
        bytes memory init = abi.encodePacked(
            hex"61",
            uint16(data.length + 1),
            hex"80600c6000396000f3",
            hex"00",
            data
        );
        address store;
        assembly ("memory-safe") {
            store := create(0, add(init, 0x20), mload(init))
        }
        require(store != address(0), "data contract");
        _data = store;
        _state = (_state & ~uint256(type(uint160).max) & ~(uint256(0xff) << 224)) | uint160(target) | (1 << 224);
    }

    /// @notice Disarms the pending re-entry.
    function disarm() external {
        _state &= ~(uint256(0xff) << 224);
    }

    /// @notice Accepts ETH; if armed, re-enters once and records the result without reverting.
    // solhint-disable-next-line no-complex-fallback
    receive() external payable {
        _receivedPlusOne += msg.value;
        uint256 state = _state;
        if (uint8(state >> 224) == 0) return;
        address target = address(uint160(state));
        address store = _data;
        uint256 size;
        assembly ("memory-safe") {
            size := sub(extcodesize(store), 1)
        }
        bytes memory data = new bytes(size);
        assembly ("memory-safe") {
            extcodecopy(store, add(data, 0x20), 1, size)
        }
        // solhint-disable-next-line avoid-low-level-calls
        (bool ok, bytes memory ret) = target.call(data);
        uint256 attemptsDone = uint64(state >> 160) + 1;
        uint256 any = uint8(state >> 240) != 0 || ok ? 1 : 0;
        _state = uint160(target) | (attemptsDone << 160) | ((ok ? 1 : 0) << 232) | (any << 240);
        _lastRevertData = ok ? bytes(hex"00") : abi.encodePacked(hex"00", ret);
        emit ReentryAttempted(target, ok, ret);
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
