// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { ChannelPool, PostedRoot } from "../types/DataTypes.sol";

/// @title IChannelPools
/// @notice Perpetual pools that convert cumulative social score to tokens at a brand-set rate.
/// @dev Leaf: `keccak256(bytes.concat(keccak256(abi.encode(uint256 channelId, address account,
/// uint256 cumulativeScore))))`. Scores are 18-decimal fixed point (at most 2^160 − 1); a rate is token wei
/// per 1e18 score (at most 2^80 − 1). No wei is lost to rounding: a claim pays ⌊(owed score · rate + carry) /
/// 1e18⌋ and keeps the fraction of a wei as the account's carry for its next claim, so claiming in many steps
/// pays exactly what one claim of the same score would. When the pool holds less than owed, it pays what it
/// holds and converts only the score that amount needs (rounded up); the rest stays claimable.
/// Epochs: the first root is epoch 1, each next one exactly the last non-vetoed epoch + 1; a vetoed root's
/// epoch number is posted again. Exactly one root is claimable at a time: the newest whose challenge period is
/// over (the one before it stays claimable while the newest is in its challenge period).
/// Pause: the close and a rate change's effective time run on the claim clock (see {IRewardsBase}), so time
/// spent paused moves them later; `withdrawChannel` is refused while paused.
/// Timing terms (challenge period, rate-change and close notices) are the ones the channel was created under.
/// Fee-on-transfer and rebasing tokens are unsupported, as for events (see {IEventBounties}).
interface IChannelPools {
    // Errors of the root book ({ChannelRoots}, delegatecalled for posting and vetoing), declared here so they
    // are part of the rewards contract's ABI. Every other error is in the Errors library.

    /// @notice The channel has not closed yet (`closesAt` is 0 while no close was announced).
    error ChannelPools_NotClosed(uint256 channelId, uint40 closesAt);

    /// @notice The brand already withdrew what was left.
    error ChannelPools_AlreadyWithdrawn(uint256 channelId);

    /// @notice A channel root must carry the epoch after the last one posted and not vetoed.
    error ChannelPools_EpochNotNext(uint256 channelId, uint64 epoch, uint64 expected);

    /// @notice This root is registered already (leaves bind the channel id, so a genuine root is never reused).
    error ChannelPools_RootInUse(bytes32 root);

    /// @notice The pending root is still in its challenge period: a new one cannot replace it.
    error ChannelPools_RootInChallenge(uint256 channelId, uint64 epoch, uint40 claimableAt);

    /// @notice No root is in its challenge period (none posted, already vetoed, or already live).
    error ChannelPools_NoPendingRoot(uint256 channelId);

    /// @notice The pending root's challenge period is over: it can no longer be vetoed.
    error ChannelPools_ChallengePeriodOver(uint256 channelId, uint64 epoch, uint40 claimableAt);

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

    /// @notice Emitted for each paid channel claim: `amount` token wei (relayer fee included) for
    /// `scoreConverted` score; `scoreLeft` of the leaf's score stays claimable (non-zero when the pool ran short).
    event ChannelClaimed(
        uint256 indexed channelId,
        address indexed account,
        address recipient,
        uint256 amount,
        uint256 scoreConverted,
        uint256 scoreLeft
    );

    /// @notice Emitted when the brand withdraws (to `to`) what is left after the close.
    event ChannelWithdrawn(uint256 indexed channelId, address indexed brand, address to, uint256 amount);

    /// @notice Creates a channel paying `rate` token wei per 1e18 score, funded with `amount`
    /// (ETH: send exactly `amount`; amount may be 0).
    /// @dev Requirements: 0 < rate < 2^80; token rules as for events. The channel copies the current challenge
    /// period, rate-change notice and close notice. Emits {ChannelCreated}.
    function createChannel(
        address token,
        uint256 rate,
        uint256 amount,
        string calldata metadataURI
    ) external payable returns (uint256 channelId);

    /// @notice Adds `amount` to a channel's pool. Anyone may top up an open channel.
    /// @dev Requirements: channel exists and no close was announced; amount > 0. Emits {ChannelFunded}.
    function fundChannel(uint256 channelId, uint256 amount) external payable;

    /// @notice Announces a new rate, effective after the channel's rate-change notice (on the claim clock).
    /// @dev Requirements: caller is the brand; no close announced; 0 < newRate < 2^80. A later announcement
    /// replaces a pending one. Emits {ChannelRateChangeAnnounced} (with the effective time as it stands now).
    function announceRateChange(uint256 channelId, uint256 newRate) external;

    /// @notice Announces the close: users may still claim until `closesAt`, then the brand withdraws.
    /// @dev Requirements: caller is the brand; no close announced yet. Emits {ChannelCloseAnnounced}.
    function announceClose(uint256 channelId) external;

    /// @notice Posts the cumulative-score root for `epoch`, claimable after the channel's challenge period.
    /// @dev Requirements: caller has PUBLISHER_ROLE; channel exists and not closed; epoch == lastEpoch + 1;
    /// root != 0 and not registered (ChannelPools_RootInUse); the newest root is past its challenge period
    /// (or was vetoed). The newest root stays the claimable one until the new one goes live.
    /// Emits {ChannelRootPosted}.
    function publishChannelRoot(
        uint256 channelId,
        uint64 epoch,
        bytes32 root,
        uint256 scoreTotal,
        uint256 recipientCount,
        bytes32 manifestHash
    ) external;

    /// @notice Vetoes the pending root during its challenge period; its epoch number can be posted again and
    /// the root before it stays claimable.
    /// @dev Requirements: caller is the brand or has GUARDIAN_ROLE; a pending root in its challenge period.
    /// Emits {ChannelRootVetoed}.
    function vetoChannelRoot(uint256 channelId) external;

    /// @notice Converts the caller's unconverted cumulative score into tokens, paid to the caller.
    /// @dev Requirements: claims not paused; channel not past its close; a live root; valid proof; something
    /// owed and the pool not empty; the payout arrives within its gas allowance. Emits {ChannelClaimed}.
    function claimChannel(uint256 channelId, uint256 cumulativeScore, bytes32[] calldata proof) external;

    /// @notice As {claimChannel}, paid to `recipient`.
    function claimChannelTo(
        uint256 channelId,
        uint256 cumulativeScore,
        address recipient,
        bytes32[] calldata proof
    ) external;

    /// @notice Sends `to` (named by the brand) everything left once the close took effect.
    /// @dev Requirements: claims not paused; caller is the brand; to != 0; a close was announced and has come
    /// (on the claim clock); not withdrawn. Emits {ChannelWithdrawn}.
    function withdrawChannel(uint256 channelId, address to) external;

    /// @notice Number of channels created so far (the last id).
    function channelCount() external view returns (uint256);

    /// @notice The channel's configuration and ledger.
    function getChannel(uint256 channelId) external view returns (ChannelPool memory);

    /// @notice The rate that applies now (pending rate once its effective time has come).
    function currentRate(uint256 channelId) external view returns (uint256);

    /// @notice The root claims are verified against now, and its epoch (zero root if none is live).
    function liveChannelRoot(uint256 channelId) external view returns (PostedRoot memory root, uint64 epoch);

    /// @notice The newest posted root while it is still in its challenge period, if any (a vetoed root is
    /// dropped: see {ChannelRootVetoed}).
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
