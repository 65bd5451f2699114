// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { AccessControlDefaultAdminRules } from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import { ReentrancyGuardTransient } from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import { IRewardsBase } from "../interfaces/IRewardsBase.sol";
import { Errors } from "../libraries/Errors.sol";
import { Funds } from "../libraries/Funds.sol";
import { Parameter, Parameters, SkipReason } from "../types/DataTypes.sol";

/// @title RewardsBase
/// @notice Roles, timing parameters, the claims pause and its claim clock, the reentrancy guard and the
/// payout helpers shared by event bounties and channel pools.
/// @dev Parameter bounds (seconds): challengePeriod ∈ [0, 30 days]; publishDeadline ∈
/// [challengePeriod + 1 hour, 365 days] (the publisher always has at least an hour to post a root that can
/// still go live); rateChangeNotice ∈ [max(1 hour, challengePeriod), 90 days]; closeNotice ∈ [1 hour, 90 days];
/// minClaimWindow ∈ [1 hour, 90 days] (7 days in the default deployment).
///
/// The claim clock (see {IRewardsBase}): the pause flag, the time the current pause began and the total time
/// spent in finished pauses share one slot, the one every claim reads anyway for the pause check, so the
/// clock costs a claim nothing more. Times on the claim clock are stored as `unix − pausedTime` at the moment
/// they are set; a claim compares them with `block.timestamp − pausedTotal` (not paused at that moment).
abstract contract RewardsBase is IRewardsBase, AccessControlDefaultAdminRules, ReentrancyGuardTransient {
    /*//////////////////////////////////////////////////////////////////////////
                                     CONSTANTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardsBase
    bytes32 public constant override PUBLISHER_ROLE = keccak256("PUBLISHER_ROLE");

    /// @inheritdoc IRewardsBase
    bytes32 public constant override GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

    /// @notice Initial delay of a DEFAULT_ADMIN_ROLE transfer (seconds): longer than the longest challenge
    /// period a brand would accept, so a compromised admin key is seen before it can move the role.
    uint48 internal constant ADMIN_TRANSFER_DELAY = 3 days;

    /// @notice Highest challenge period (seconds).
    uint40 public constant MAX_CHALLENGE_PERIOD = 30 days;

    /// @notice Least time (seconds) the publish deadline leaves after the challenge period.
    uint40 public constant MIN_PUBLISH_MARGIN = 1 hours;

    /// @notice Highest publish deadline (seconds after an event's end).
    uint40 public constant MAX_PUBLISH_DEADLINE = 365 days;

    /// @notice Lowest rate-change and close notice (seconds).
    uint40 public constant MIN_NOTICE = 1 hours;

    /// @notice Highest rate-change and close notice (seconds).
    uint40 public constant MAX_NOTICE = 90 days;

    /// @dev Bounds of the minimum event claim window (seconds).
    uint40 internal constant MIN_CLAIM_WINDOW_LOWEST = 1 hours;
    uint40 internal constant MIN_CLAIM_WINDOW_HIGHEST = 90 days;

    /*//////////////////////////////////////////////////////////////////////////
                                       STATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The pause flag and the claim clock, in one slot (88 bits): bool paused | uint40 pausedAt |
    /// uint40 pausedTotal (seconds spent in finished pauses).
    uint256 private _pause;

    uint256 private constant _PAUSED_AT_SHIFT = 8;
    uint256 private constant _PAUSED_TOTAL_SHIFT = 48;

    /// @dev Parameters for campaigns created from now on; only read at creation.
    Parameters private _params;

    /*//////////////////////////////////////////////////////////////////////////
                                    CONSTRUCTOR
    //////////////////////////////////////////////////////////////////////////*/

    /// @param admin Receives DEFAULT_ADMIN_ROLE. @param publisher Receives PUBLISHER_ROLE.
    /// @param guardian Receives GUARDIAN_ROLE. @param params Timing parameters, within the bounds above.
    constructor(
        address admin,
        address publisher,
        address guardian,
        Parameters memory params
    ) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin) {
        if (admin == address(0) || publisher == address(0) || guardian == address(0)) {
            revert Errors.RewardsBase_ZeroAddress();
        }
        _grantRole(PUBLISHER_ROLE, publisher);
        _grantRole(GUARDIAN_ROLE, guardian);
        _setParameters(params);
    }

    /*//////////////////////////////////////////////////////////////////////////
                              USER-FACING READ-ONLY
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardsBase
    function challengePeriod() public view override returns (uint40) {
        return _params.challengePeriod;
    }

    /// @inheritdoc IRewardsBase
    function publishDeadline() public view override returns (uint40) {
        return _params.publishDeadline;
    }

    /// @inheritdoc IRewardsBase
    function rateChangeNotice() public view override returns (uint40) {
        return _params.rateChangeNotice;
    }

    /// @inheritdoc IRewardsBase
    function closeNotice() public view override returns (uint40) {
        return _params.closeNotice;
    }

    /// @inheritdoc IRewardsBase
    function minClaimWindow() public view override returns (uint40) {
        return _params.minClaimWindow;
    }

    /// @inheritdoc IRewardsBase
    function claimsPaused() public view override returns (bool) {
        return _pause & 0xff != 0;
    }

    /// @inheritdoc IRewardsBase
    function pausedTime() public view override returns (uint256) {
        return block.timestamp - _claimClockNow();
    }

    /*//////////////////////////////////////////////////////////////////////////
                             USER-FACING STATE-CHANGING
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardsBase
    function setParameters(
        uint40 challengePeriod_,
        uint40 publishDeadline_,
        uint40 rateChangeNotice_,
        uint40 closeNotice_,
        uint40 minClaimWindow_
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParameters(
            Parameters({
                challengePeriod: challengePeriod_,
                publishDeadline: publishDeadline_,
                rateChangeNotice: rateChangeNotice_,
                closeNotice: closeNotice_,
                minClaimWindow: minClaimWindow_
            })
        );
    }

    /// @inheritdoc IRewardsBase
    function setClaimsPaused(bool paused) external override onlyRole(GUARDIAN_ROLE) {
        uint256 word = _pause;
        bool wasPaused = word & 0xff != 0;
        uint256 pausedTotal = uint40(word >> _PAUSED_TOTAL_SHIFT);
        // Effect: a pause records when it began; an unpause adds its length to the total.
        if (paused && !wasPaused) {
            _pause = 1 | (block.timestamp << _PAUSED_AT_SHIFT) | (pausedTotal << _PAUSED_TOTAL_SHIFT);
        } else if (!paused && wasPaused) {
            pausedTotal += block.timestamp - uint40(word >> _PAUSED_AT_SHIFT);
            _pause = pausedTotal << _PAUSED_TOTAL_SHIFT;
        }
        emit ClaimsPaused(msg.sender, paused, block.timestamp - _claimClockNow());
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      INTERNAL
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev The claim clock for a claim: reverts with {Errors.RewardsBase_ClaimsPaused} while paused, else
    /// returns `block.timestamp − pausedTotal`. One SLOAD.
    function _claimClock() internal view returns (uint256) {
        uint256 word = _pause;
        if (word & 0xff != 0) revert Errors.RewardsBase_ClaimsPaused();
        // unchecked: pausedTotal only sums past pauses, so it is below block.timestamp.
        unchecked {
            return block.timestamp - (word >> _PAUSED_TOTAL_SHIFT);
        }
    }

    /// @dev The claim clock now, paused or not (a running pause stops it at the time the pause began).
    function _claimClockNow() internal view returns (uint256) {
        uint256 word = _pause;
        uint256 pausedTotal = uint40(word >> _PAUSED_TOTAL_SHIFT);
        if (word & 0xff != 0) return uint40(word >> _PAUSED_AT_SHIFT) - pausedTotal;
        return block.timestamp - pausedTotal;
    }

    /// @dev A time on the claim clock as the Unix time it falls on if claims are not paused again (0 stays 0).
    function _toUnix(uint256 claimClockTime) internal view returns (uint256) {
        if (claimClockTime == 0) return 0;
        return claimClockTime + (block.timestamp - _claimClockNow());
    }

    /// @dev The parameters campaigns created now copy.
    function _currentParameters() internal view returns (Parameters memory) {
        return _params;
    }

    /// @dev Pays `amount` of `token` to `to` (bounded gas, see {Funds}); {SkipReason.None} when it arrived.
    function _trySend(address token, address to, uint256 amount) internal returns (SkipReason) {
        Funds.Outcome outcome = Funds.trySend(token, to, amount);
        if (outcome == Funds.Outcome.Sent) return SkipReason.None;
        return outcome == Funds.Outcome.OutOfGas ? SkipReason.PaymentOutOfGas : SkipReason.PaymentRejected;
    }

    /// @dev Takes `amount` of `token` from msg.sender exactly (see {Funds-pull}).
    function _pull(address token, uint256 amount) internal {
        Funds.pull(token, amount);
    }

    /// @dev Pays `amount` of `token` to `to` or reverts with {Errors.Funds_PaymentFailed} (see {Funds-send}).
    function _send(address token, address to, uint256 amount) internal {
        if (_trySend(token, to, amount) != SkipReason.None) revert Errors.Funds_PaymentFailed(token, to, amount);
    }

    /// @dev Reverts with {Errors.RewardsBase_AmountOverflow} when `value` does not fit in 128 bits.
    function _toUint128(uint256 value) internal pure returns (uint128) {
        if (value > type(uint128).max) revert Errors.RewardsBase_AmountOverflow(value, type(uint128).max);
        return uint128(value);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      PRIVATE
    //////////////////////////////////////////////////////////////////////////*/

    function _setParameters(Parameters memory p) private {
        // Check
        if (p.challengePeriod > MAX_CHALLENGE_PERIOD) {
            revert Errors.RewardsBase_ParameterOutOfRange(Parameter.ChallengePeriod, p.challengePeriod, 0, MAX_CHALLENGE_PERIOD);
        }
        uint256 minDeadline = uint256(p.challengePeriod) + MIN_PUBLISH_MARGIN;
        if (p.publishDeadline < minDeadline || p.publishDeadline > MAX_PUBLISH_DEADLINE) {
            revert Errors.RewardsBase_ParameterOutOfRange(
                Parameter.PublishDeadline,
                p.publishDeadline,
                minDeadline,
                MAX_PUBLISH_DEADLINE
            );
        }
        // A rate cut must not apply before users can claim, at the old rate, the score posted just before it.
        uint256 minRateNotice = p.challengePeriod > MIN_NOTICE ? p.challengePeriod : MIN_NOTICE;
        if (p.rateChangeNotice < minRateNotice || p.rateChangeNotice > MAX_NOTICE) {
            revert Errors.RewardsBase_ParameterOutOfRange(
                Parameter.RateChangeNotice,
                p.rateChangeNotice,
                minRateNotice,
                MAX_NOTICE
            );
        }
        if (p.closeNotice < MIN_NOTICE || p.closeNotice > MAX_NOTICE) {
            revert Errors.RewardsBase_ParameterOutOfRange(Parameter.CloseNotice, p.closeNotice, MIN_NOTICE, MAX_NOTICE);
        }
        if (p.minClaimWindow < MIN_CLAIM_WINDOW_LOWEST || p.minClaimWindow > MIN_CLAIM_WINDOW_HIGHEST) {
            revert Errors.RewardsBase_ParameterOutOfRange(
                Parameter.MinClaimWindow,
                p.minClaimWindow,
                MIN_CLAIM_WINDOW_LOWEST,
                MIN_CLAIM_WINDOW_HIGHEST
            );
        }

        // Effect
        _params = p;
        emit ParametersUpdated(p.challengePeriod, p.publishDeadline, p.rateChangeNotice, p.closeNotice, p.minClaimWindow);
    }
}
