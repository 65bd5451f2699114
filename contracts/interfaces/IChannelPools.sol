// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { ChannelPool, PostedRoot } from "../types/DataTypes.sol";

/// @title IChannelPools
/// @notice Perpetual pools that convert cumulative social score to tokens at a brand-set rate.
/// @dev Leaf: `keccak256(bytes.concat(keccak256(abi.encode(uint256 channelId, address account,
/// uint256 cumulativeScore))))`. Scores are 18-decimal fixed point; payout = score · rate / 1e18 rounded
/// down. When the pool holds less than owed, it pays what it holds and converts only the score paid for.
interface IChannelPools {
    /// @notice Emitted when a brand creates a channel.
    event ChannelCreated(
        uint256 indexed channelId,
        address indexed brand,
        address indexed token,
        uint256 rate,
        uint256 amount,
        string metadataURI
    );

    /// @notice Emitted when anyone tops up a channel.
    event ChannelFunded(uint256 indexed channelId, address indexed funder, uint256 amount, uint256 balance);

    /// @notice Emitted when the brand announces a new rate.
    event ChannelRateChangeAnnounced(uint256 indexed channelId, uint256 newRate, uint40 effectiveAt);

    /// @notice Emitted when the brand announces a close.
    event ChannelCloseAnnounced(uint256 indexed channelId, uint40 closesAt);

    /// @notice Emitted when the publisher posts a cumulative-score root.
    event ChannelRootPosted(
        uint256 indexed channelId,
        uint64 indexed epoch,
        bytes32 root,
        uint256 scoreTotal,
        uint256 recipientCount,
        bytes32 manifestHash,
        uint40 claimableAt
    );

    /// @notice Emitted when the brand or a guardian vetoes a pending channel root.
    event ChannelRootVetoed(uint256 indexed channelId, uint64 indexed epoch, bytes32 root, address indexed by);

    /// @notice Emitted for each paid channel claim. `scoreConverted` is the score paid for by this claim;
    /// `scoreLeft` is what stays claimable (non-zero when the pool ran short).
    event ChannelClaimed(
        uint256 indexed channelId,
        address indexed account,
        address recipient,
        uint256 scoreConverted,
        uint256 amount,
        uint256 scoreLeft
    );

    /// @notice Emitted when the brand withdraws what is left after the close.
    event ChannelWithdrawn(uint256 indexed channelId, address indexed brand, uint256 amount);

    /// @notice Creates a channel paying `rate` token wei per 1e18 score, funded with `amount`
    /// (ETH: send exactly `amount`; amount may be 0).
    /// @dev Requirements: rate > 0; token rules as for events. Emits {ChannelCreated}.
    function createChannel(
        address token,
        uint256 rate,
        uint256 amount,
        string calldata metadataURI
    ) external payable returns (uint256 channelId);

    /// @notice Adds `amount` to a channel's pool. Anyone may top up an open channel.
    /// @dev Requirements: channel exists and no close was announced; amount > 0. Emits {ChannelFunded}.
    function fundChannel(uint256 channelId, uint256 amount) external payable;

    /// @notice Announces a new rate, effective after the rate-change notice.
    /// @dev Requirements: caller is the brand; channel open; newRate > 0. A later announcement replaces a
    /// pending one. Emits {ChannelRateChangeAnnounced}.
    function announceRateChange(uint256 channelId, uint256 newRate) external;

    /// @notice Announces the close: users may still claim until `closesAt`, then the brand withdraws.
    /// @dev Requirements: caller is the brand; no close announced yet. Emits {ChannelCloseAnnounced}.
    function announceClose(uint256 channelId) external;

    /// @notice Posts the cumulative-score root for `epoch`, claimable after the challenge period.
    /// @dev Requirements: caller has PUBLISHER_ROLE; channel exists and not closed; epoch > lastEpoch;
    /// root != 0. A still-pending root is replaced only if it was vetoed; a posted root that is already
    /// past its challenge period becomes the claimable one until the new one goes live.
    /// Emits {ChannelRootPosted}.
    function publishChannelRoot(
        uint256 channelId,
        uint64 epoch,
        bytes32 root,
        uint256 scoreTotal,
        uint256 recipientCount,
        bytes32 manifestHash
    ) external;

    /// @notice Vetoes the pending root during its challenge period; its epoch number is burnt.
    /// @dev Requirements: caller is the brand or has GUARDIAN_ROLE; a pending root in its challenge period.
    /// Emits {ChannelRootVetoed}.
    function vetoChannelRoot(uint256 channelId) external;

    /// @notice Converts the caller's unconverted cumulative score into tokens, paid to the caller.
    /// @dev Requirements: claims not paused; channel not past its close; a live root; valid proof; something
    /// owed and the pool not empty. Emits {ChannelClaimed}.
    function claimChannel(uint256 channelId, uint256 cumulativeScore, bytes32[] calldata proof) external;

    /// @notice As {claimChannel}, paid to `recipient`.
    function claimChannelTo(
        uint256 channelId,
        uint256 cumulativeScore,
        address recipient,
        bytes32[] calldata proof
    ) external;

    /// @notice Sends the brand everything left once the close took effect.
    /// @dev Requirements: caller is the brand; closesAt != 0 and block.timestamp ≥ closesAt; not withdrawn.
    /// Emits {ChannelWithdrawn}.
    function withdrawChannel(uint256 channelId) external;

    /// @notice Number of channels created so far (the last id).
    function channelCount() external view returns (uint256);

    /// @notice The channel's configuration and ledger.
    function getChannel(uint256 channelId) external view returns (ChannelPool memory);

    /// @notice The rate that applies now (pending rate once its effective time has come).
    function currentRate(uint256 channelId) external view returns (uint256);

    /// @notice The root claims are verified against now, and its epoch (zero root if none is live).
    function liveChannelRoot(uint256 channelId) external view returns (PostedRoot memory root, uint64 epoch);

    /// @notice The latest posted root still in (or vetoed during) its challenge period, if any.
    function pendingChannelRoot(uint256 channelId) external view returns (PostedRoot memory root, uint64 epoch);

    /// @notice Score of `account` already converted to tokens in the channel.
    function convertedScore(uint256 channelId, address account) external view returns (uint256);

    /// @notice What a claim with `cumulativeScore` would pay now (tokens) and the score it would convert,
    /// given the pool balance and rate (does not check the proof).
    function previewChannelClaim(
        uint256 channelId,
        address account,
        uint256 cumulativeScore
    ) external view returns (uint256 amount, uint256 scoreConverted);
}
