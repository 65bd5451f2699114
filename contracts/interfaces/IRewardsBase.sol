// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { CampaignKind } from "../types/DataTypes.sol";

/// @title IRewardsBase
/// @notice Roles, timing parameters and the emergency pause shared by event bounties and channel pools.
/// @dev Roles (OpenZeppelin AccessControlDefaultAdminRules): DEFAULT_ADMIN_ROLE sets parameters and grants the
/// other roles; it moves only in two steps (`beginDefaultAdminTransfer`, then `acceptDefaultAdminTransfer` by
/// the new admin once the delay has passed; initial delay {ADMIN_TRANSFER_DELAY}). PUBLISHER_ROLE posts roots;
/// GUARDIAN_ROLE vetoes roots in their challenge period and pauses claims.
///
/// Per-campaign terms: every campaign copies the parameters it needs (challenge period, publish deadline,
/// rate-change and close notices) when it is created; {setParameters} applies to campaigns created after it.
///
/// Pause: a pause never shortens the time users have to claim and never lets a brand take what users could
/// still claim. Claims' closing times (an event's claim window end, a channel's close and the time a rate
/// change applies) run on the claim clock: Unix time minus the time claims spent paused. So every such time
/// moves later by exactly the time spent paused after it was set, and a window that had d seconds left when a
/// pause began has d seconds left when it ends. Brand exits that take what users could claim
/// (`withdrawUnclaimed`, `withdrawChannel`) are refused while paused. A refund (no live root, so nothing to
/// claim), top-ups, publishing and vetoes keep working; no funds ever move because of a pause.
interface IRewardsBase {
    /// @notice Emitted when the admin changes the timing parameters (seconds); they apply to campaigns
    /// created from now on.
    event ParametersUpdated(
        uint40 challengePeriod,
        uint40 publishDeadline,
        uint40 rateChangeNotice,
        uint40 closeNotice,
        uint40 minClaimWindow
    );

    /// @notice Emitted when a guardian pauses or unpauses claims. `pausedTime` is the total time claims have
    /// spent paused before this moment (the claim clock lags Unix time by it once unpaused).
    event ClaimsPaused(address indexed guardian, bool paused, uint256 pausedTime);

    /// @notice Emitted when a signed claim paid its submitter (`relayer`) a fee out of the payout.
    event ClaimRelayed(
        CampaignKind kind,
        uint256 indexed campaignId,
        address indexed account,
        address indexed relayer,
        uint256 fee
    );

    /// @notice Role allowed to post roots.
    function PUBLISHER_ROLE() external view returns (bytes32);

    /// @notice Role allowed to veto roots in their challenge period and to pause claims.
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice Seconds between posting a root and the moment it becomes claimable, for campaigns created now
    /// (0 allowed for local demos).
    function challengePeriod() external view returns (uint40);

    /// @notice Seconds after an event's end by which a root must be live, else the brand may take a refund,
    /// for events created now.
    function publishDeadline() external view returns (uint40);

    /// @notice Seconds between announcing a channel rate change and the new rate taking effect, for channels
    /// created now (≥ challengePeriod, so a rate cut never applies before users could claim at the old rate
    /// the score posted just before it).
    function rateChangeNotice() external view returns (uint40);

    /// @notice Seconds between announcing a channel close and the close, for channels created now; users can
    /// still claim meanwhile.
    function closeNotice() external view returns (uint40);

    /// @notice The least claim window an event may be created with (seconds).
    function minClaimWindow() external view returns (uint40);

    /// @notice True while claims are paused.
    function claimsPaused() external view returns (bool);

    /// @notice Total seconds claims have spent paused so far (including a pause still going on): the claim
    /// clock is `block.timestamp − pausedTime()`.
    function pausedTime() external view returns (uint256);

    /// @notice Sets the timing parameters for campaigns created from now on.
    /// @dev Requirements: caller has DEFAULT_ADMIN_ROLE; each value within the bounds documented in the
    /// implementation, and rateChangeNotice ≥ challengePeriod (reverts with RewardsBase_ParameterOutOfRange
    /// otherwise). Emits {ParametersUpdated}.
    function setParameters(
        uint40 challengePeriod_,
        uint40 publishDeadline_,
        uint40 rateChangeNotice_,
        uint40 closeNotice_,
        uint40 minClaimWindow_
    ) external;

    /// @notice Pauses or unpauses new claims (events and channels). Funds never move because of it; closing
    /// times on the claim clock move later by the time spent paused. Setting the current state again changes
    /// nothing but still emits.
    /// @dev Requirements: caller has GUARDIAN_ROLE. Emits {ClaimsPaused}.
    function setClaimsPaused(bool paused) external;
}
