// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { AccessControl } from "@openzeppelin/contracts/access/AccessControl.sol";
import { IERC20 } from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import { SafeERC20 } from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import { ReentrancyGuardTransient } from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import { IRewardsBase } from "../interfaces/IRewardsBase.sol";
import { Errors } from "../libraries/Errors.sol";

/// @title RewardsBase
/// @notice Roles, timing parameters, the claims pause, the reentrancy guard and the token in/out helpers
/// shared by event bounties and channel pools.
/// @dev Parameter bounds (seconds): challengePeriod ∈ [0, 30 days]; publishDeadline ∈
/// [challengePeriod + 1 hour, 365 days] (the publisher always has at least an hour to post a root that can
/// still go live); rateChangeNotice and closeNotice ∈ [1 hour, 90 days].
abstract contract RewardsBase is IRewardsBase, AccessControl, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////////////////
                                     CONSTANTS
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardsBase
    bytes32 public constant override PUBLISHER_ROLE = keccak256("PUBLISHER_ROLE");

    /// @inheritdoc IRewardsBase
    bytes32 public constant override GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");

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

    /// @dev Batch skip reasons, as in {ILike2EarnRewards-BatchItemSkipped}; SKIP_NONE means "paid".
    uint8 internal constant SKIP_NOTHING_OWED = 0;
    uint8 internal constant SKIP_POOL_EMPTY = 1;
    uint8 internal constant SKIP_PAYMENT_REJECTED = 2;
    uint8 internal constant SKIP_NONE = type(uint8).max;

    /*//////////////////////////////////////////////////////////////////////////
                                       STATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev All timing parameters and the pause flag in one slot (168 bits).
    struct Parameters {
        uint40 challengePeriod;
        uint40 publishDeadline;
        uint40 rateChangeNotice;
        uint40 closeNotice;
        bool claimsPaused;
    }

    Parameters private _params;

    /*//////////////////////////////////////////////////////////////////////////
                                    CONSTRUCTOR
    //////////////////////////////////////////////////////////////////////////*/

    /// @param admin Receives DEFAULT_ADMIN_ROLE. @param publisher Receives PUBLISHER_ROLE.
    /// @param guardian Receives GUARDIAN_ROLE. Timing parameters in seconds, within the bounds above.
    constructor(
        address admin,
        address publisher,
        address guardian,
        uint40 challengePeriod_,
        uint40 publishDeadline_,
        uint40 rateChangeNotice_,
        uint40 closeNotice_
    ) {
        if (admin == address(0) || publisher == address(0) || guardian == address(0)) {
            revert Errors.RewardsBase_ZeroAddress();
        }
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PUBLISHER_ROLE, publisher);
        _grantRole(GUARDIAN_ROLE, guardian);
        _setParameters(challengePeriod_, publishDeadline_, rateChangeNotice_, closeNotice_);
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
    function claimsPaused() public view override returns (bool) {
        return _params.claimsPaused;
    }

    /*//////////////////////////////////////////////////////////////////////////
                             USER-FACING STATE-CHANGING
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IRewardsBase
    function setParameters(
        uint40 challengePeriod_,
        uint40 publishDeadline_,
        uint40 rateChangeNotice_,
        uint40 closeNotice_
    ) external override onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParameters(challengePeriod_, publishDeadline_, rateChangeNotice_, closeNotice_);
    }

    /// @inheritdoc IRewardsBase
    function setClaimsPaused(bool paused) external override onlyRole(GUARDIAN_ROLE) {
        // Effect
        _params.claimsPaused = paused;
        emit ClaimsPaused(msg.sender, paused);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      INTERNAL
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Reverts with {Errors.RewardsBase_ClaimsPaused} while a guardian has paused claims.
    function _requireClaimsNotPaused() internal view {
        if (_params.claimsPaused) revert Errors.RewardsBase_ClaimsPaused();
    }

    /// @dev Takes `amount` of `token` from msg.sender. ETH: msg.value must equal `amount`. ERC-20: msg.value
    /// must be 0 and exactly `amount` must arrive (balance delta), which refuses fee-on-transfer tokens.
    /// Callers are `nonReentrant` and have already written their ledger (the call reverts as a whole if
    /// less arrives).
    function _pullFunds(address token, uint256 amount) internal {
        if (token == address(0)) {
            if (msg.value != amount) revert Errors.RewardsBase_ValueMismatch(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert Errors.RewardsBase_ValueMismatch(0, msg.value);
        if (amount == 0) return;
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert Errors.RewardsBase_FeeOnTransfer(token, amount, received);
    }

    /// @dev Sends `amount` of `token` (address(0) = ETH) to `to` and returns whether it arrived. ETH goes
    /// through a low-level call with all gas and no return-data copy (no return bomb); an ERC-20 through
    /// {SafeERC20.trySafeTransfer}. Never reverts on a rejecting receiver, so a batch can skip it.
    function _trySend(address token, address to, uint256 amount) internal returns (bool success) {
        if (token != address(0)) return IERC20(token).trySafeTransfer(to, amount);
        // As LowLevelCall.callNoReturn(to, amount, ""), without allocating the empty calldata in memory.
        assembly ("memory-safe") {
            success := call(gas(), to, amount, 0x00, 0x00, 0x00, 0x00)
        }
    }

    /// @dev As {_trySend}, but reverts with {Errors.RewardsBase_PaymentFailed} when the payment fails.
    function _send(address token, address to, uint256 amount) internal {
        if (!_trySend(token, to, amount)) revert Errors.RewardsBase_PaymentFailed(token, to, amount);
    }

    /// @dev Reverts with {Errors.RewardsBase_AmountOverflow} when `value` does not fit in 128 bits.
    function _toUint128(uint256 value) internal pure returns (uint128) {
        if (value > type(uint128).max) revert Errors.RewardsBase_AmountOverflow(value, type(uint128).max);
        return uint128(value);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      PRIVATE
    //////////////////////////////////////////////////////////////////////////*/

    function _setParameters(
        uint40 challengePeriod_,
        uint40 publishDeadline_,
        uint40 rateChangeNotice_,
        uint40 closeNotice_
    ) private {
        // Check
        if (challengePeriod_ > MAX_CHALLENGE_PERIOD) {
            revert Errors.RewardsBase_ParameterOutOfRange(0, challengePeriod_, 0, MAX_CHALLENGE_PERIOD);
        }
        uint256 minDeadline = uint256(challengePeriod_) + MIN_PUBLISH_MARGIN;
        if (publishDeadline_ < minDeadline || publishDeadline_ > MAX_PUBLISH_DEADLINE) {
            revert Errors.RewardsBase_ParameterOutOfRange(1, publishDeadline_, minDeadline, MAX_PUBLISH_DEADLINE);
        }
        if (rateChangeNotice_ < MIN_NOTICE || rateChangeNotice_ > MAX_NOTICE) {
            revert Errors.RewardsBase_ParameterOutOfRange(2, rateChangeNotice_, MIN_NOTICE, MAX_NOTICE);
        }
        if (closeNotice_ < MIN_NOTICE || closeNotice_ > MAX_NOTICE) {
            revert Errors.RewardsBase_ParameterOutOfRange(3, closeNotice_, MIN_NOTICE, MAX_NOTICE);
        }

        // Effect
        _params.challengePeriod = challengePeriod_;
        _params.publishDeadline = publishDeadline_;
        _params.rateChangeNotice = rateChangeNotice_;
        _params.closeNotice = closeNotice_;
        emit ParametersUpdated(challengePeriod_, publishDeadline_, rateChangeNotice_, closeNotice_);
    }
}
