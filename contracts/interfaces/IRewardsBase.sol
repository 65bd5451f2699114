// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IRewardsBase
/// @notice Roles, timing parameters and the emergency pause shared by event bounties and channel pools.
/// @dev Roles (OpenZeppelin AccessControl): DEFAULT_ADMIN_ROLE sets parameters and grants roles;
/// PUBLISHER_ROLE posts roots; GUARDIAN_ROLE vetoes roots in their challenge period and pauses claims.
/// Pausing only stops new claims: it never moves funds, and refunds/withdrawals of brands keep working.
interface IRewardsBase {
    /// @notice Emitted when the admin changes a timing parameter (values in seconds).
    event ParametersUpdated(
        uint40 challengePeriod,
        uint40 publishDeadline,
        uint40 rateChangeNotice,
        uint40 closeNotice
    );

    /// @notice Emitted when a guardian pauses or unpauses claims.
    event ClaimsPaused(address indexed guardian, bool paused);

    /// @notice Role allowed to post roots.
    function PUBLISHER_ROLE() external view returns (bytes32);

    /// @notice Role allowed to veto roots in their challenge period and to pause claims.
    function GUARDIAN_ROLE() external view returns (bytes32);

    /// @notice Seconds between posting a root and the moment it becomes claimable (0 allowed for local demos).
    function challengePeriod() external view returns (uint40);

    /// @notice Seconds after an event's end by which a root must be live, else the brand may take a refund.
    /// @dev Copied into each event at creation, so a later change never alters an existing event.
    function publishDeadline() external view returns (uint40);

    /// @notice Seconds between announcing a channel rate change and the new rate taking effect.
    function rateChangeNotice() external view returns (uint40);

    /// @notice Seconds between announcing a channel close and the close; users can still claim meanwhile.
    function closeNotice() external view returns (uint40);

    /// @notice True while claims are paused.
    function claimsPaused() external view returns (bool);

    /// @notice Sets the timing parameters.
    /// @dev Requirements: caller has DEFAULT_ADMIN_ROLE; each value within the bounds documented in the
    /// implementation (reverts with RewardsBase_ParameterOutOfRange otherwise). Emits {ParametersUpdated}.
    function setParameters(
        uint40 challengePeriod_,
        uint40 publishDeadline_,
        uint40 rateChangeNotice_,
        uint40 closeNotice_
    ) external;

    /// @notice Pauses or unpauses new claims (events and channels). Funds never move because of it.
    /// @dev Requirements: caller has GUARDIAN_ROLE. Emits {ClaimsPaused}.
    function setClaimsPaused(bool paused) external;
}
