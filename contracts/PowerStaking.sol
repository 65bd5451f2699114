// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { ReentrancyGuardTransient } from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import { IPowerStaking } from "./interfaces/IPowerStaking.sol";
import { Errors } from "./libraries/Errors.sol";
import { Funds } from "./libraries/Funds.sol";

/// @title PowerStaking
/// @notice Power up ETH (or the configured ERC-20); power down in equal instalments; see {IPowerStaking}.
/// @dev Per account and asset, `staked` is everything the account has in the contract (locked or unlocked
/// but not withdrawn): a withdrawal lowers it. The unlock schedule is isolated in {_unlocked}, the one
/// place the {IPowerStaking} power formula lives (as OpenZeppelin's VestingWallet isolates its schedule).
/// Tokens move through the {Funds} helpers the rewards contract uses too (exact pulls, bounded-gas payouts).
contract PowerStaking is IPowerStaking, ReentrancyGuardTransient {
    /*//////////////////////////////////////////////////////////////////////////
                                       STATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev One account's stake of one asset, in two slots. Amounts in asset wei.
    struct Stake {
        uint128 staked;
        uint128 powerDownAmount;
        uint128 powerDownWithdrawn;
        uint64 powerDownStart; // Unix timestamp; 0 while no power-down is active
    }

    /// @dev The ERC-20 that can be staked besides ETH (address(0): none).
    address private immutable STAKE_TOKEN;

    /// @dev Number of equal instalments of a power-down (≥ 1).
    uint32 private immutable INSTALMENTS;

    /// @dev Seconds between instalments (> 0).
    uint32 private immutable INSTALMENT_INTERVAL;

    mapping(address account => mapping(address asset => Stake)) private _stakes;

    /*//////////////////////////////////////////////////////////////////////////
                                    CONSTRUCTOR
    //////////////////////////////////////////////////////////////////////////*/

    /// @param stakeToken_ ERC-20 that can be staked besides ETH; address(0) for ETH only.
    /// @param instalments_ Number of equal power-down instalments (≥ 1; default 4).
    /// @param instalmentInterval_ Seconds between instalments (> 0; default 1 week).
    constructor(address stakeToken_, uint32 instalments_, uint32 instalmentInterval_) {
        if (instalments_ == 0) revert Errors.PowerStaking_ZeroInstalments();
        if (instalmentInterval_ == 0) revert Errors.PowerStaking_ZeroInterval();
        STAKE_TOKEN = stakeToken_;
        INSTALMENTS = instalments_;
        INSTALMENT_INTERVAL = instalmentInterval_;
    }

    /*//////////////////////////////////////////////////////////////////////////
                              USER-FACING READ-ONLY
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPowerStaking
    function instalments() external view override returns (uint32) {
        return INSTALMENTS;
    }

    /// @inheritdoc IPowerStaking
    function instalmentInterval() external view override returns (uint32) {
        return INSTALMENT_INTERVAL;
    }

    /// @inheritdoc IPowerStaking
    function stakeToken() external view override returns (address) {
        return STAKE_TOKEN;
    }

    /// @inheritdoc IPowerStaking
    function powerOf(address account, address asset) external view override returns (uint256) {
        Stake storage s = _stakes[account][asset];
        // staked ≥ unlocked − withdrawn: powerDownAmount ≤ staked + withdrawn at every step.
        return s.staked - (_unlocked(s, block.timestamp) - s.powerDownWithdrawn);
    }

    /// @inheritdoc IPowerStaking
    function withdrawable(address account, address asset) external view override returns (uint256) {
        Stake storage s = _stakes[account][asset];
        return _unlocked(s, block.timestamp) - s.powerDownWithdrawn;
    }

    /// @inheritdoc IPowerStaking
    function stakeOf(
        address account,
        address asset
    )
        external
        view
        override
        returns (uint256 staked, uint256 powerDownAmount, uint256 powerDownWithdrawn, uint64 powerDownStart)
    {
        Stake storage s = _stakes[account][asset];
        return (s.staked, s.powerDownAmount, s.powerDownWithdrawn, s.powerDownStart);
    }

    /*//////////////////////////////////////////////////////////////////////////
                             USER-FACING STATE-CHANGING
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPowerStaking
    function powerUp() external payable override nonReentrant {
        // Check
        if (msg.value == 0) revert Errors.PowerStaking_ZeroAmount();

        // Effect
        _addStake(address(0), msg.value);
    }

    /// @inheritdoc IPowerStaking
    function powerUpToken(uint256 amount) external override nonReentrant {
        // Check
        address token = STAKE_TOKEN;
        if (token == address(0)) revert Errors.PowerStaking_NoStakeToken();
        if (amount == 0) revert Errors.PowerStaking_ZeroAmount();

        // Effect
        _addStake(token, amount);

        // Interaction: the whole call reverts unless exactly `amount` arrived.
        Funds.pull(token, amount);
    }

    /// @inheritdoc IPowerStaking
    function powerDown(address asset, uint256 amount) external override nonReentrant {
        // Check
        _requireSupported(asset);
        Stake storage s = _stakes[msg.sender][asset];
        if (amount == 0) revert Errors.PowerStaking_ZeroAmount();
        if (amount > s.staked) revert Errors.PowerStaking_AmountExceedsStake(msg.sender, asset, amount, s.staked);

        // Effect: replaces any active power-down; what it had unlocked but not withdrawn is locked again.
        uint64 start = uint64(block.timestamp);
        s.powerDownAmount = uint128(amount); // amount ≤ staked < 2^128
        s.powerDownWithdrawn = 0;
        s.powerDownStart = start;
        emit PowerDownStarted(msg.sender, asset, amount, start);
        _emitStakeUpdated(msg.sender, asset, s);
    }

    /// @inheritdoc IPowerStaking
    function cancelPowerDown(address asset) external override nonReentrant {
        // Check
        Stake storage s = _stakes[msg.sender][asset];
        if (s.powerDownStart == 0) revert Errors.PowerStaking_NoActivePowerDown(msg.sender, asset);

        // Effect
        _endPowerDown(s);
        emit PowerDownCancelled(msg.sender, asset);
        _emitStakeUpdated(msg.sender, asset, s);
    }

    /// @inheritdoc IPowerStaking
    function withdraw(address asset, address to) external override nonReentrant {
        // Check
        if (to == address(0)) revert Errors.PowerStaking_ZeroRecipient();
        Stake storage s = _stakes[msg.sender][asset];
        uint256 withdrawn = s.powerDownWithdrawn;
        uint256 amount = _unlocked(s, block.timestamp) - withdrawn;
        if (amount == 0) revert Errors.PowerStaking_NothingToWithdraw(msg.sender, asset);

        // Effect: amount ≤ unlocked − withdrawn ≤ staked, and withdrawn + amount = unlocked ≤ powerDownAmount.
        s.staked -= uint128(amount);
        if (withdrawn + amount == s.powerDownAmount) {
            _endPowerDown(s);
        } else {
            s.powerDownWithdrawn = uint128(withdrawn + amount);
        }
        emit Withdrawn(msg.sender, asset, to, amount);
        _emitStakeUpdated(msg.sender, asset, s);

        // Interaction (bounded gas: see {Funds})
        Funds.send(asset, to, amount);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      PRIVATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Adds `amount` to msg.sender's stake of `asset` and emits {PoweredUp} and {StakeUpdated}.
    function _addStake(address asset, uint256 amount) private {
        Stake storage s = _stakes[msg.sender][asset];
        uint256 staked = uint256(s.staked) + amount;
        if (staked > type(uint128).max) revert Errors.PowerStaking_StakeOverflow(s.staked, amount);
        s.staked = uint128(staked);
        emit PoweredUp(msg.sender, asset, amount);
        _emitStakeUpdated(msg.sender, asset, s);
    }

    /// @dev Clears the power-down.
    function _endPowerDown(Stake storage s) private {
        s.powerDownAmount = 0;
        s.powerDownWithdrawn = 0;
        s.powerDownStart = 0;
    }

    /// @dev Emits the full new state, from which the scorer rebuilds power at any time.
    function _emitStakeUpdated(address account, address asset, Stake storage s) private {
        emit StakeUpdated(account, asset, s.staked, s.powerDownAmount, s.powerDownWithdrawn, s.powerDownStart);
    }

    /// @dev Reverts unless `asset` is ETH or the configured stake token.
    function _requireSupported(address asset) private view {
        if (asset != address(0) && (asset != STAKE_TOKEN)) revert Errors.PowerStaking_UnsupportedAsset(asset);
    }

    /// @dev unlocked(t) = powerDownStart == 0 ? 0 : powerDownAmount · min(N, ⌊(t − powerDownStart)/interval⌋) / N,
    /// rounded down (the last instalment releases the remainder: at N instalments it is the whole amount).
    function _unlocked(Stake storage s, uint256 time) private view returns (uint256) {
        uint256 start = s.powerDownStart;
        if (start == 0) return 0;
        uint256 elapsed = (time - start) / INSTALMENT_INTERVAL;
        uint256 n = INSTALMENTS;
        if (elapsed >= n) return s.powerDownAmount;
        return (uint256(s.powerDownAmount) * elapsed) / n;
    }
}
