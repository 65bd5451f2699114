// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { SafeCast } from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import { IChannelPools } from "../interfaces/IChannelPools.sol";

/// @dev One channel; slot comments give the packing.
struct ChannelStorage {
    // slot 0: the hot slot, read (and, for the balance, written) by every claim
    uint128 balance; // token wei
    uint80 rate; // token wei per 1e18 score (a pending rate that took effect may not be folded in yet)
    uint40 closesAt; // claim clock; 0 while no close was announced
    bool isToken; // token != address(0)
    // slot 1 (240 bits)
    address token;
    uint40 challengePeriod; // copied from the parameters at creation
    uint40 rateChangeNotice; // copied from the parameters at creation
    // slot 2 (216 bits)
    address brand;
    uint40 closeNotice; // copied from the parameters at creation
    bool withdrawn;
    bool latestVetoed; // the last action on the roots was a veto (views and veto errors only)
    // slot 3 (224 bits): root and rate bookkeeping outside the claim path
    uint80 pendingRate; // 0 while no change is pending
    uint40 rateEffectiveAt; // claim clock
    uint64 lastEpoch; // epoch of latestRoot
    uint40 latestClaimableAt; // Unix timestamp: validFrom of latestRoot
    // slot 4
    bytes32 latestRoot; // newest root not vetoed (live, or still in its challenge period)
    // slot 5
    bytes32 previousRoot; // the root before it (claimable until latestRoot goes live)
    // slot 6
    mapping(address account => uint256 word) accounts; // converted score [0, 160) | carry [160, 256)
}

// Root record layout (see {ChannelRoots}).
uint256 constant RECORD_VALID_FROM_SHIFT = 40;
uint256 constant RECORD_VALID_UNTIL_SHIFT = 80;
uint256 constant RECORD_PENDING_RATE_SHIFT = 120;
uint256 constant RECORD_EFFECTIVE_AT_SHIFT = 200;
uint256 constant RECORD_OPEN_END = type(uint40).max;

/// @title ChannelRoots
/// @notice The root book of a channel: posting, vetoing and the pending rate carried in root records.
/// @dev Deployed by the rewards contract's constructor and only ever DELEGATECALLed by it (see
/// {ChannelPools-_rootBook}), so these cold paths run on the rewards contract's storage without counting
/// against its code-size limit, and deployments need no library linking. Each function receives the storage
/// slots of the channel and of the root-record mapping, as a Solidity library's external function would.
/// Called directly (not by delegatecall), a function only touches this contract's own, unused storage.
/// @dev Record layout: channelId [0, 40) | validFrom [40, 80) | validUntil [80, 120) | pendingRate [120, 200) |
/// rateEffectiveAt [200, 240); pendingRate and rateEffectiveAt (claim clock) mirror the channel's pending change.
contract ChannelRoots {
    /// @notice Checks and records a new root for `epoch` (must be lastEpoch + 1) once the newest root is past
    /// its challenge period (or there is none); the newest root stays claimable until this one goes live.
    /// @return claimableAt When the new root goes live (Unix time).
    function publish(
        uint256 channelSlot,
        uint256 recordsSlot,
        uint256 channelId,
        uint64 epoch,
        bytes32 root
    ) external returns (uint256 claimableAt) {
        (ChannelStorage storage c, mapping(bytes32 => uint256) storage records) = _at(channelSlot, recordsSlot);
        // Check
        uint64 lastEpoch = c.lastEpoch;
        if (epoch != lastEpoch + 1) revert IChannelPools.ChannelPools_EpochNotNext(channelId, epoch, lastEpoch + 1);
        bytes32 latest = c.latestRoot;
        uint40 latestClaimableAt = c.latestClaimableAt;
        if (latest != bytes32(0) && block.timestamp < latestClaimableAt) {
            revert IChannelPools.ChannelPools_RootInChallenge(channelId, lastEpoch, latestClaimableAt);
        }
        if (records[root] != 0) revert IChannelPools.ChannelPools_RootInUse(root);

        // Effect: the newest root stays claimable until this one goes live; the one before it is done.
        claimableAt = block.timestamp + c.challengePeriod;
        if (latest != bytes32(0)) {
            records[latest] = _withValidUntil(records[latest], claimableAt);
            c.previousRoot = latest;
        }
        c.latestRoot = root;
        c.lastEpoch = epoch;
        c.latestClaimableAt = SafeCast.toUint40(claimableAt);
        c.latestVetoed = false;
        records[root] =
            SafeCast.toUint40(channelId) |
            (claimableAt << RECORD_VALID_FROM_SHIFT) |
            (RECORD_OPEN_END << RECORD_VALID_UNTIL_SHIFT) |
            (uint256(c.pendingRate) << RECORD_PENDING_RATE_SHIFT) |
            (uint256(c.rateEffectiveAt) << RECORD_EFFECTIVE_AT_SHIFT);
    }

    /// @notice Vetoes the newest root while it is in its challenge period: its record is deleted, its epoch
    /// number handed back, and the root before it (if any) is claimable again with an open end.
    /// @return root The vetoed root. @return epoch Its epoch.
    function veto(
        uint256 channelSlot,
        uint256 recordsSlot,
        uint256 channelId
    ) external returns (bytes32 root, uint64 epoch) {
        (ChannelStorage storage c, mapping(bytes32 => uint256) storage records) = _at(channelSlot, recordsSlot);
        // Check
        root = c.latestRoot;
        if (root == bytes32(0) || c.latestVetoed) revert IChannelPools.ChannelPools_NoPendingRoot(channelId);
        epoch = c.lastEpoch;
        if (block.timestamp >= c.latestClaimableAt) {
            revert IChannelPools.ChannelPools_ChallengePeriodOver(channelId, epoch, c.latestClaimableAt);
        }

        // Effect: nothing was paid from it.
        delete records[root];
        bytes32 previous = c.previousRoot;
        c.latestRoot = previous;
        c.previousRoot = bytes32(0);
        c.lastEpoch = epoch - 1;
        c.latestVetoed = true;
        if (previous != bytes32(0)) {
            uint256 record = _withValidUntil(records[previous], RECORD_OPEN_END);
            records[previous] = record;
            c.latestClaimableAt = uint40(record >> RECORD_VALID_FROM_SHIFT);
        } else {
            c.latestClaimableAt = 0;
        }
    }

    /// @notice Queues `newRate` (checked by the caller) to apply the channel's rate-change notice after `clock`
    /// (claim clock). A change that already took effect becomes the rate first. The pending change is also
    /// written into the records of the two newest roots (the only ones a claim can still prove), so claims
    /// read it without another slot.
    /// @return effectiveAt When the new rate applies, on the claim clock.
    function announceRate(
        uint256 channelSlot,
        uint256 recordsSlot,
        uint256 newRate,
        uint256 clock
    ) external returns (uint256 effectiveAt) {
        (ChannelStorage storage c, mapping(bytes32 => uint256) storage records) = _at(channelSlot, recordsSlot);
        if (c.pendingRate != 0 && clock >= c.rateEffectiveAt) c.rate = c.pendingRate;
        effectiveAt = clock + c.rateChangeNotice;
        c.pendingRate = uint80(newRate);
        c.rateEffectiveAt = SafeCast.toUint40(effectiveAt);
        _setRecordRate(records, c.latestRoot, newRate, effectiveAt);
        _setRecordRate(records, c.previousRoot, newRate, effectiveAt);
    }

    /// @notice Settles a closed channel for the brand's withdrawal (the caller checked the brand and the
    /// recipient): requires the close to have come on the claim clock `clock` and no earlier withdrawal; empties
    /// the pool. `pausedTime` only converts times in errors.
    /// @return amount What the pool held.
    function settle(uint256 channelSlot, uint256 channelId, uint256 clock, uint256 pausedTime) external returns (uint256 amount) {
        (ChannelStorage storage c, ) = _at(channelSlot, 0);
        uint256 closesAt = c.closesAt;
        if (closesAt == 0 || clock < closesAt) {
            revert IChannelPools.ChannelPools_NotClosed(channelId, uint40(closesAt == 0 ? 0 : closesAt + pausedTime));
        }
        if (c.withdrawn) revert IChannelPools.ChannelPools_AlreadyWithdrawn(channelId);
        amount = c.balance;
        c.balance = 0;
        c.withdrawn = true;
    }

    /// @dev The channel and the record mapping at the given slots of the caller's storage.
    function _at(
        uint256 channelSlot,
        uint256 recordsSlot
    ) private pure returns (ChannelStorage storage c, mapping(bytes32 => uint256) storage records) {
        assembly ("memory-safe") {
            c.slot := channelSlot
            records.slot := recordsSlot
        }
    }

    function _setRecordRate(
        mapping(bytes32 => uint256) storage records,
        bytes32 root,
        uint256 pendingRate,
        uint256 effectiveAt
    ) private {
        if (root == bytes32(0)) return;
        records[root] = uint120(records[root]) | (pendingRate << RECORD_PENDING_RATE_SHIFT) | (effectiveAt << RECORD_EFFECTIVE_AT_SHIFT);
    }

    /// @dev `record` with its validUntil replaced.
    function _withValidUntil(uint256 record, uint256 validUntil) private pure returns (uint256) {
        return (record & ~(uint256(type(uint40).max) << RECORD_VALID_UNTIL_SHIFT)) | (validUntil << RECORD_VALID_UNTIL_SHIFT);
    }
}
