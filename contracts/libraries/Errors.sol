// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { Parameter } from "../types/DataTypes.sol";

/// @title Errors
/// @notice Every custom error of the Like2Earn contracts, prefixed by the component that raises it and
/// carrying the values that made the call fail. Times are Unix timestamps (seconds), amounts token wei,
/// scores 18-decimal fixed point.
library Errors {
    /*//////////////////////////////////////////////////////////////////////////
                                    REWARDS BASE
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice A role holder given to the constructor is the zero address.
    error RewardsBase_ZeroAddress();

    /// @notice A timing parameter is outside its bounds.
    /// @param parameter Which one (see {Parameter}).
    /// @param value The value given (seconds). @param min Lowest allowed value. @param max Highest allowed value.
    error RewardsBase_ParameterOutOfRange(Parameter parameter, uint256 value, uint256 min, uint256 max);

    /// @notice Claims are paused by a guardian.
    error RewardsBase_ClaimsPaused();

    /// @notice An amount of zero where a positive amount is required.
    error RewardsBase_ZeroAmount();

    /// @notice A value does not fit the ledger's storage width.
    error RewardsBase_AmountOverflow(uint256 value, uint256 max);

    /// @notice A payout to the zero address was requested.
    error RewardsBase_ZeroRecipient();

    /// @notice A claim for the zero address: no leaf may name it.
    error RewardsBase_ZeroAccount();

    /// @notice A signed claim submitted after its deadline.
    error RewardsBase_SignatureExpired(uint256 deadline, uint256 currentTime);

    /// @notice The signature is not the account's (ECDSA for an EOA, EIP-1271 for a contract wallet).
    error RewardsBase_InvalidSignature(address account);

    /// @notice The relayer asked for more than the account signed for.
    error RewardsBase_FeeTooHigh(uint256 fee, uint256 maxFee);

    /// @notice The relayer asked for more than the claim pays.
    error RewardsBase_FeeExceedsPayout(uint256 fee, uint256 payout);

    /*//////////////////////////////////////////////////////////////////////////
                                       FUNDS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice The ETH sent does not match what the call requires (the amount for ETH, 0 for an ERC-20).
    error Funds_ValueMismatch(uint256 expected, uint256 sent);

    /// @notice Less (or more) of the ERC-20 arrived than was sent: fee-on-transfer and rebasing tokens are refused.
    error Funds_FeeOnTransfer(address token, uint256 expected, uint256 received);

    /// @notice A payout was rejected: ETH receiver reverted or ran out of its gas allowance, or the token
    /// transfer failed or returned false.
    error Funds_PaymentFailed(address token, address to, uint256 amount);

    /// @notice Too little gas is left to forward a payout its whole gas allowance: send the transaction with
    /// more gas.
    error Funds_InsufficientGas(uint256 needed, uint256 left);

    /*//////////////////////////////////////////////////////////////////////////
                                   EVENT BOUNTIES
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice An event needs start < end and an end in the future.
    error EventBounties_InvalidPeriod(uint40 start, uint40 end, uint256 currentTime);

    /// @notice An event's claim window is shorter than the deployment's minimum.
    error EventBounties_ClaimWindowTooShort(uint40 claimWindow, uint40 minClaimWindow);

    /// @notice No event has this id.
    error EventBounties_UnknownEvent(uint256 eventId);

    /// @notice The event has ended: it can no longer be topped up.
    error EventBounties_Ended(uint256 eventId, uint40 end);

    /// @notice The event has not ended yet: no root can be posted.
    error EventBounties_NotEnded(uint256 eventId, uint40 end);

    /// @notice The event is over (refunded or unclaimed funds withdrawn).
    error EventBounties_Settled(uint256 eventId);

    /// @notice A non-vetoed root was already posted for the event.
    error EventBounties_RootAlreadyPosted(uint256 eventId, bytes32 root);

    /// @notice A root of zero was posted.
    error EventBounties_ZeroRoot(uint256 eventId);

    /// @notice This root was already posted (for this or another event); leaves bind the event id, so a
    /// genuine root is never reused.
    error EventBounties_RootInUse(bytes32 root);

    /// @notice The root declares more than the event's pot holds.
    error EventBounties_TotalExceedsPot(uint256 eventId, uint256 total, uint256 funded);

    /// @notice A root posted now could not go live by the event's publish deadline.
    error EventBounties_PublishDeadlineTooClose(uint256 eventId, uint256 claimableAt, uint40 publishDeadline);

    /// @notice Only the event's brand may do this.
    error EventBounties_NotBrand(uint256 eventId, address caller);

    /// @notice Only the event's brand or a guardian may veto.
    error EventBounties_NotBrandOrGuardian(uint256 eventId, address caller);

    /// @notice There is no non-vetoed root to veto.
    error EventBounties_NoPendingRoot(uint256 eventId);

    /// @notice The root's challenge period is over: it can no longer be vetoed.
    error EventBounties_ChallengePeriodOver(uint256 eventId, uint40 claimableAt);

    /// @notice The event has no root, or its root was vetoed.
    error EventBounties_NoLiveRoot(uint256 eventId);

    /// @notice The event's root is still in its challenge period.
    error EventBounties_RootInChallenge(uint256 eventId, uint40 claimableAt);

    /// @notice The claim window closed at `closedAt`.
    error EventBounties_ClaimWindowClosed(uint256 eventId, uint256 closedAt);

    /// @notice The claim window is still open until `closesAt`: unclaimed funds cannot be withdrawn yet.
    error EventBounties_ClaimWindowOpen(uint256 eventId, uint256 closesAt);

    /// @notice The leaf at `index` was already claimed.
    error EventBounties_AlreadyClaimed(uint256 eventId, uint256 index);

    /// @notice The leaf's amount is zero: nothing to claim.
    error EventBounties_NothingToClaim(uint256 eventId, uint256 index);

    /// @notice The proof does not lead from this leaf to the event's live root.
    error EventBounties_InvalidProof(uint256 eventId, uint256 index, address account, uint256 amount);

    /// @notice Paying this leaf would take the event beyond its root's declared total (a faulty root).
    error EventBounties_ClaimExceedsTotal(uint256 eventId, uint256 amount, uint256 remaining);

    /// @notice The publish deadline has not passed yet: no refund.
    error EventBounties_RefundNotYetAvailable(uint256 eventId, uint40 publishDeadline);

    /// @notice A non-vetoed root exists (it went live by the deadline): no refund.
    error EventBounties_RootPosted(uint256 eventId, bytes32 root);

    /*//////////////////////////////////////////////////////////////////////////
                                   CHANNEL POOLS
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice A channel rate must be positive.
    error ChannelPools_ZeroRate();

    /// @notice No channel has this id.
    error ChannelPools_UnknownChannel(uint256 channelId);

    /// @notice Only the channel's brand may do this.
    error ChannelPools_NotBrand(uint256 channelId, address caller);

    /// @notice Only the channel's brand or a guardian may veto.
    error ChannelPools_NotBrandOrGuardian(uint256 channelId, address caller);

    /// @notice The channel's close was announced (closes at `closesAt`): no top-up or rate change.
    error ChannelPools_CloseAnnounced(uint256 channelId, uint40 closesAt);

    /// @notice The channel closed at `closesAt`.
    error ChannelPools_Closed(uint256 channelId, uint40 closesAt);

    /// @notice A signed channel claim names an epoch that is not the live one.
    error ChannelPools_WrongEpoch(uint256 channelId, uint64 epoch, uint64 liveEpoch);

    /// @notice A root of zero was posted.
    error ChannelPools_ZeroRoot(uint256 channelId);

    /// @notice The channel has no live root.
    error ChannelPools_NoLiveRoot(uint256 channelId);

    /// @notice The proof does not lead from this leaf to the channel's live root.
    error ChannelPools_InvalidProof(uint256 channelId, address account, uint256 cumulativeScore);

    /// @notice The account's cumulative score is already converted (or what is left is worth less than 1 wei).
    error ChannelPools_NothingOwed(uint256 channelId, address account, uint256 cumulativeScore, uint256 converted);

    /// @notice The pool holds too little to pay even 1 wei at the current rate.
    error ChannelPools_PoolEmpty(uint256 channelId, uint256 balance);

    /*//////////////////////////////////////////////////////////////////////////
                                   POWER STAKING
    //////////////////////////////////////////////////////////////////////////*/

    /// @notice A power-down needs at least one instalment.
    error PowerStaking_ZeroInstalments();

    /// @notice Instalments must be at least one second apart.
    error PowerStaking_ZeroInterval();

    /// @notice An amount of zero where a positive amount is required.
    error PowerStaking_ZeroAmount();

    /// @notice No ERC-20 stake token is configured.
    error PowerStaking_NoStakeToken();

    /// @notice The asset is neither ETH (address(0)) nor the configured stake token.
    error PowerStaking_UnsupportedAsset(address asset);

    /// @notice The stake would exceed what the ledger stores (2^128 − 1).
    error PowerStaking_StakeOverflow(uint256 staked, uint256 amount);

    /// @notice A power-down of more than is staked.
    error PowerStaking_AmountExceedsStake(address account, address asset, uint256 amount, uint256 staked);

    /// @notice There is no active power-down to cancel.
    error PowerStaking_NoActivePowerDown(address account, address asset);

    /// @notice Nothing has unlocked that was not already withdrawn.
    error PowerStaking_NothingToWithdraw(address account, address asset);

    /// @notice A withdrawal to the zero address was requested.
    error PowerStaking_ZeroRecipient();
}
