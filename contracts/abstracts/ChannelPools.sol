// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { MerkleProof } from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import { IChannelPools } from "../interfaces/IChannelPools.sol";
import { Errors } from "../libraries/Errors.sol";
import { ChannelPool, PostedRoot } from "../types/DataTypes.sol";
import { RewardsBase } from "./RewardsBase.sol";

/// @title ChannelPools
/// @notice Perpetual pools converting cumulative score at a brand-set rate; see {IChannelPools}.
/// @dev Two root slots: `liveRoot` and `pendingRoot`. A posted root waits in `pendingRoot`; once its
/// challenge period is over (and it was not vetoed) claims verify against it, without any write. It is moved
/// to `liveRoot` when the next root is posted. The last posted epoch is always `pendingEpoch`. A rate
/// announcement likewise applies lazily: `currentRate` is `pendingRate` once `rateEffectiveAt` has come.
abstract contract ChannelPools is RewardsBase, IChannelPools {
    /*//////////////////////////////////////////////////////////////////////////
                                       STATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev One channel; slot comments give the packing.
    struct ChannelStorage {
        // slot 0
        bytes32 liveRoot;
        // slot 1
        bytes32 pendingRoot;
        // slot 2 (216 bits): root timing
        uint40 liveClaimableAt; // Unix timestamp
        uint64 liveEpoch;
        uint40 pendingClaimableAt; // Unix timestamp; 0 while no root was ever posted
        uint64 pendingEpoch; // the last posted epoch
        bool pendingVetoed;
        // slot 3: the ledger slot a claim writes
        uint128 balance; // token wei
        uint128 rate; // token wei per 1e18 score
        // slot 4 (224 bits)
        uint128 pendingRate; // 0 while no change is pending
        uint40 rateEffectiveAt; // Unix timestamp
        uint40 closesAt; // Unix timestamp; 0 while no close was announced
        bool withdrawn;
        bool isToken; // token != address(0)
        // slot 5
        address token;
        // slot 6
        address brand;
        // slot 7
        mapping(address account => uint256 score) converted;
    }

    /// @dev Score is 18-decimal fixed point: `rate` token wei are paid per SCORE_UNIT of score.
    uint256 private constant SCORE_UNIT = 1e18;

    mapping(uint256 channelId => ChannelStorage) private _channels;

    uint256 private _channelCount;

    /*//////////////////////////////////////////////////////////////////////////
                              USER-FACING READ-ONLY
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IChannelPools
    function channelCount() external view override returns (uint256) {
        return _channelCount;
    }

    /// @inheritdoc IChannelPools
    /// @dev A rate change whose effective time has come is shown as applied: `rate` is the new rate and
    /// `pendingRate` is 0. An unknown id returns an all-zero struct.
    function getChannel(uint256 channelId) external view override returns (ChannelPool memory pool) {
        ChannelStorage storage c = _channels[channelId];
        pool.brand = c.brand;
        pool.token = c.token;
        pool.rate = c.rate;
        pool.pendingRate = c.pendingRate;
        pool.rateEffectiveAt = c.rateEffectiveAt;
        if (pool.pendingRate != 0 && block.timestamp >= pool.rateEffectiveAt) {
            pool.rate = pool.pendingRate;
            pool.pendingRate = 0;
        }
        pool.closesAt = c.closesAt;
        pool.balance = c.balance;
        pool.lastEpoch = c.pendingEpoch;
        pool.withdrawn = c.withdrawn;
    }

    /// @inheritdoc IChannelPools
    function currentRate(uint256 channelId) external view override returns (uint256) {
        return _currentRate(_channels[channelId]);
    }

    /// @inheritdoc IChannelPools
    function liveChannelRoot(uint256 channelId) external view override returns (PostedRoot memory root, uint64 epoch) {
        ChannelStorage storage c = _channels[channelId];
        if (_pendingIsLive(c)) {
            return (PostedRoot({ root: c.pendingRoot, claimableAt: c.pendingClaimableAt, vetoed: false }), c.pendingEpoch);
        }
        return (PostedRoot({ root: c.liveRoot, claimableAt: c.liveClaimableAt, vetoed: false }), c.liveEpoch);
    }

    /// @inheritdoc IChannelPools
    function pendingChannelRoot(
        uint256 channelId
    ) external view override returns (PostedRoot memory root, uint64 epoch) {
        ChannelStorage storage c = _channels[channelId];
        if (c.pendingClaimableAt != 0 && !_pendingIsLive(c)) {
            root = PostedRoot({ root: c.pendingRoot, claimableAt: c.pendingClaimableAt, vetoed: c.pendingVetoed });
            epoch = c.pendingEpoch;
        }
    }

    /// @inheritdoc IChannelPools
    function convertedScore(uint256 channelId, address account) external view override returns (uint256) {
        return _channels[channelId].converted[account];
    }

    /// @inheritdoc IChannelPools
    /// @dev Returns (0, 0) when a claim would pay nothing (nothing owed or the pool too small).
    function previewChannelClaim(
        uint256 channelId,
        address account,
        uint256 cumulativeScore
    ) external view override returns (uint256 amount, uint256 scoreConverted) {
        ChannelStorage storage c = _channels[channelId];
        uint256 converted = c.converted[account];
        uint256 rate = _currentRate(c);
        if (cumulativeScore <= converted || rate == 0) return (0, 0);
        (amount, scoreConverted, ) = _quote(cumulativeScore - converted, c.balance, rate);
        if (amount == 0) return (0, 0);
    }

    /*//////////////////////////////////////////////////////////////////////////
                             USER-FACING STATE-CHANGING
    //////////////////////////////////////////////////////////////////////////*/

    /// @inheritdoc IChannelPools
    function createChannel(
        address token,
        uint256 rate,
        uint256 amount,
        string calldata metadataURI
    ) external payable override nonReentrant returns (uint256 channelId) {
        // Check
        if (rate == 0) revert Errors.ChannelPools_ZeroRate();
        uint128 rate128 = _toUint128(rate);
        uint128 balance = _toUint128(amount);

        // Effect
        channelId = ++_channelCount;
        ChannelStorage storage c = _channels[channelId];
        c.balance = balance;
        c.rate = rate128;
        c.isToken = token != address(0);
        c.token = token;
        c.brand = msg.sender;
        emit ChannelCreated(channelId, msg.sender, token, rate, amount, metadataURI);

        // Interaction
        _pullFunds(token, amount);
    }

    /// @inheritdoc IChannelPools
    function fundChannel(uint256 channelId, uint256 amount) external payable override nonReentrant {
        // Check
        ChannelStorage storage c = _channels[channelId];
        if (c.brand == address(0)) revert Errors.ChannelPools_UnknownChannel(channelId);
        if (c.closesAt != 0) revert Errors.ChannelPools_CloseAnnounced(channelId, c.closesAt);
        if (amount == 0) revert Errors.RewardsBase_ZeroAmount();
        uint128 balance = _toUint128(uint256(c.balance) + _toUint128(amount));

        // Effect
        c.balance = balance;
        emit ChannelFunded(channelId, msg.sender, amount, balance);

        // Interaction
        _pullFunds(c.token, amount);
    }

    /// @inheritdoc IChannelPools
    function announceRateChange(uint256 channelId, uint256 newRate) external override {
        // Check
        ChannelStorage storage c = _channels[channelId];
        _requireBrand(c, channelId);
        if (c.closesAt != 0) revert Errors.ChannelPools_CloseAnnounced(channelId, c.closesAt);
        if (newRate == 0) revert Errors.ChannelPools_ZeroRate();
        uint128 newRate128 = _toUint128(newRate);

        // Effect: a change that already took effect becomes the rate before the next one is queued.
        if (c.pendingRate != 0 && block.timestamp >= c.rateEffectiveAt) c.rate = c.pendingRate;
        uint40 effectiveAt = uint40(block.timestamp + rateChangeNotice());
        c.pendingRate = newRate128;
        c.rateEffectiveAt = effectiveAt;
        emit ChannelRateChangeAnnounced(channelId, newRate, effectiveAt);
    }

    /// @inheritdoc IChannelPools
    function announceClose(uint256 channelId) external override {
        // Check
        ChannelStorage storage c = _channels[channelId];
        _requireBrand(c, channelId);
        if (c.closesAt != 0) revert Errors.ChannelPools_CloseAnnounced(channelId, c.closesAt);

        // Effect
        uint40 closesAt = uint40(block.timestamp + closeNotice());
        c.closesAt = closesAt;
        emit ChannelCloseAnnounced(channelId, closesAt);
    }

    /// @inheritdoc IChannelPools
    function publishChannelRoot(
        uint256 channelId,
        uint64 epoch,
        bytes32 root,
        uint256 scoreTotal,
        uint256 recipientCount,
        bytes32 manifestHash
    ) external override onlyRole(PUBLISHER_ROLE) {
        // Check
        ChannelStorage storage c = _channels[channelId];
        if (c.brand == address(0)) revert Errors.ChannelPools_UnknownChannel(channelId);
        uint40 closesAt = c.closesAt;
        if (closesAt != 0 && block.timestamp >= closesAt) revert Errors.ChannelPools_Closed(channelId, closesAt);
        if (root == bytes32(0)) revert Errors.ChannelPools_ZeroRoot(channelId);
        uint64 lastEpoch = c.pendingEpoch;
        if (epoch <= lastEpoch) revert Errors.ChannelPools_EpochNotIncreasing(channelId, epoch, lastEpoch);
        uint40 pendingClaimableAt = c.pendingClaimableAt;
        bool promote = pendingClaimableAt != 0 && !c.pendingVetoed;
        if (promote && block.timestamp < pendingClaimableAt) {
            revert Errors.ChannelPools_RootInChallenge(channelId, lastEpoch, pendingClaimableAt);
        }

        // Effect: the pending root, live by now, becomes `liveRoot`; a vetoed one is dropped.
        if (promote) {
            c.liveRoot = c.pendingRoot;
            c.liveClaimableAt = pendingClaimableAt;
            c.liveEpoch = lastEpoch;
        }
        uint40 claimableAt = uint40(block.timestamp + challengePeriod());
        c.pendingRoot = root;
        c.pendingClaimableAt = claimableAt;
        c.pendingEpoch = epoch;
        c.pendingVetoed = false;
        emit ChannelRootPosted(channelId, epoch, root, scoreTotal, recipientCount, manifestHash, claimableAt);
    }

    /// @inheritdoc IChannelPools
    function vetoChannelRoot(uint256 channelId) external override {
        // Check
        ChannelStorage storage c = _channels[channelId];
        if (msg.sender != c.brand && !hasRole(GUARDIAN_ROLE, msg.sender)) {
            revert Errors.ChannelPools_NotBrandOrGuardian(channelId, msg.sender);
        }
        uint40 claimableAt = c.pendingClaimableAt;
        if (claimableAt == 0 || c.pendingVetoed) revert Errors.ChannelPools_NoPendingRoot(channelId);
        if (block.timestamp >= claimableAt) {
            revert Errors.ChannelPools_ChallengePeriodOver(channelId, c.pendingEpoch, claimableAt);
        }

        // Effect
        c.pendingVetoed = true;
        emit ChannelRootVetoed(channelId, c.pendingEpoch, c.pendingRoot, msg.sender);
    }

    /// @inheritdoc IChannelPools
    function claimChannel(
        uint256 channelId,
        uint256 cumulativeScore,
        bytes32[] calldata proof
    ) external override nonReentrant {
        _requireClaimsNotPaused();
        _claimChannel(channelId, msg.sender, cumulativeScore, msg.sender, proof, true);
    }

    /// @inheritdoc IChannelPools
    function claimChannelTo(
        uint256 channelId,
        uint256 cumulativeScore,
        address recipient,
        bytes32[] calldata proof
    ) external override nonReentrant {
        _requireClaimsNotPaused();
        if (recipient == address(0)) revert Errors.RewardsBase_ZeroRecipient();
        _claimChannel(channelId, msg.sender, cumulativeScore, recipient, proof, true);
    }

    /// @inheritdoc IChannelPools
    function withdrawChannel(uint256 channelId) external override nonReentrant {
        // Check
        ChannelStorage storage c = _channels[channelId];
        _requireBrand(c, channelId);
        uint40 closesAt = c.closesAt;
        if (closesAt == 0 || block.timestamp < closesAt) revert Errors.ChannelPools_NotClosed(channelId, closesAt);
        if (c.withdrawn) revert Errors.ChannelPools_AlreadyWithdrawn(channelId);

        // Effect
        uint256 amount = c.balance;
        c.balance = 0;
        c.withdrawn = true;
        emit ChannelWithdrawn(channelId, msg.sender, amount);

        // Interaction
        if (amount != 0) _send(c.token, msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      INTERNAL
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Converts `account`'s unconverted score, paying `recipient`. Reverts on a hard failure (closed, no
    /// live root, invalid proof). On a soft failure (nothing owed, pool empty, payment rejected) reverts too
    /// when `revertOnSkip`, else returns the skip reason with no state changed. Callers hold the reentrancy
    /// guard and have checked the pause.
    /// @return skipReason {SKIP_NONE} when paid, else a {BatchItemSkipped} reason.
    function _claimChannel(
        uint256 channelId,
        address account,
        uint256 cumulativeScore,
        address recipient,
        bytes32[] calldata proof,
        bool revertOnSkip
    ) internal returns (uint8 skipReason) {
        ChannelStorage storage c = _channels[channelId];
        // Check: open, and a live root that holds the leaf.
        _checkChannelLeaf(c, channelId, account, cumulativeScore, proof);
        return _convert(c, channelId, account, cumulativeScore, recipient, revertOnSkip);
    }

    /*//////////////////////////////////////////////////////////////////////////
                                      PRIVATE
    //////////////////////////////////////////////////////////////////////////*/

    /// @dev Reverts unless msg.sender is the channel's brand (an unknown channel has no brand).
    function _requireBrand(ChannelStorage storage c, uint256 channelId) private view {
        if (msg.sender != c.brand) revert Errors.ChannelPools_NotBrand(channelId, msg.sender);
    }

    /// @dev The second half of {_claimChannel}, once the leaf is proven: converts and pays.
    function _convert(
        ChannelStorage storage c,
        uint256 channelId,
        address account,
        uint256 cumulativeScore,
        address recipient,
        bool revertOnSkip
    ) private returns (uint8 skipReason) {
        // Check: something owed, and a pool that can pay for at least part of it.
        uint256 converted = c.converted[account];
        uint256 amount;
        uint256 score;
        (skipReason, amount, score) = _quoteClaim(c, channelId, account, cumulativeScore, converted, revertOnSkip);
        if (skipReason != SKIP_NONE) return skipReason;

        {
            // Effect
            uint128 balance = c.balance;
            c.converted[account] = converted + score;
            // unchecked: _quote returns amount ≤ balance.
            unchecked {
                c.balance = balance - uint128(amount);
            }

            // Interaction
            if (!_trySend(c.isToken ? c.token : address(0), recipient, amount)) {
                if (revertOnSkip) revert Errors.RewardsBase_PaymentFailed(c.token, recipient, amount);
                // Undo this item's effects: the guard blocked re-entry, so nothing else changed meanwhile.
                c.converted[account] = converted;
                c.balance = balance;
                return SKIP_PAYMENT_REJECTED;
            }
        }
        // unchecked: converted + score ≤ cumulativeScore (score ≤ owed, see _quote).
        unchecked {
            emit ChannelClaimed(channelId, account, recipient, score, amount, cumulativeScore - converted - score);
        }
    }

    /// @dev Reverts unless the channel is open (claims run until closesAt) and the leaf is in its live root.
    function _checkChannelLeaf(
        ChannelStorage storage c,
        uint256 channelId,
        address account,
        uint256 cumulativeScore,
        bytes32[] calldata proof
    ) private view {
        uint40 closesAt = c.closesAt;
        if (closesAt != 0 && block.timestamp >= closesAt) revert Errors.ChannelPools_Closed(channelId, closesAt);
        bytes32 root = _pendingIsLive(c) ? c.pendingRoot : c.liveRoot;
        if (root == bytes32(0)) revert Errors.ChannelPools_NoLiveRoot(channelId);
        // Double hashing as in StandardMerkleTree, so a 64-byte internal node can never pass as a leaf.
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(channelId, account, cumulativeScore))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) {
            revert Errors.ChannelPools_InvalidProof(channelId, account, cumulativeScore);
        }
    }

    /// @dev What the claim pays and converts now, or why it is skipped (reverting instead when `revertOnSkip`).
    function _quoteClaim(
        ChannelStorage storage c,
        uint256 channelId,
        address account,
        uint256 cumulativeScore,
        uint256 converted,
        bool revertOnSkip
    ) private view returns (uint8 skipReason, uint256 amount, uint256 score) {
        if (cumulativeScore <= converted) {
            if (revertOnSkip) revert Errors.ChannelPools_NothingOwed(channelId, account, cumulativeScore, converted);
            return (SKIP_NOTHING_OWED, 0, 0);
        }
        uint256 balance = c.balance;
        bool whole;
        // unchecked: converted < cumulativeScore was checked just above.
        unchecked {
            (amount, score, whole) = _quote(cumulativeScore - converted, balance, _currentRate(c));
        }
        if (amount != 0) return (SKIP_NONE, amount, score);
        if (whole) {
            // What is owed is worth less than 1 wei: keep it for later instead of converting it for nothing.
            if (revertOnSkip) revert Errors.ChannelPools_NothingOwed(channelId, account, cumulativeScore, converted);
            return (SKIP_NOTHING_OWED, 0, 0);
        }
        if (revertOnSkip) revert Errors.ChannelPools_PoolEmpty(channelId, balance);
        return (SKIP_POOL_EMPTY, 0, 0);
    }

    /// @dev True when the pending root was posted, not vetoed, and its challenge period is over.
    function _pendingIsLive(ChannelStorage storage c) private view returns (bool) {
        uint40 claimableAt = c.pendingClaimableAt;
        return claimableAt != 0 && !c.pendingVetoed && block.timestamp >= claimableAt;
    }

    /// @dev The announced rate once its effective time has come, else the stored rate (0 for an unknown id).
    function _currentRate(ChannelStorage storage c) private view returns (uint256) {
        uint256 pendingRate = c.pendingRate;
        if (pendingRate != 0 && block.timestamp >= c.rateEffectiveAt) return pendingRate;
        return c.rate;
    }

    /// @dev What converting `owed` score at `rate` pays from `balance`. When the whole value
    /// ⌊owed·rate/1e18⌋ fits in the balance (`whole`), converts all of it. Otherwise converts only
    /// ⌊balance·1e18/rate⌋ score and pays that score's value ⌊score·rate/1e18⌋ ≤ balance (both rounded down,
    /// in favour of the pool); the rest stays claimable. `rate` > 0.
    function _quote(
        uint256 owed,
        uint256 balance,
        uint256 rate
    ) private pure returns (uint256 amount, uint256 score, bool whole) {
        // ⌊owed·rate/1e18⌋ ≤ balance ⇔ owed·rate < (balance + 1)·1e18 ⇔ owed ≤ ⌊((balance + 1)·1e18 − 1)/rate⌋.
        // No overflow: balance < 2^128, so (balance + 1)·1e18 < 2^188, and in the first branch owed·rate < 2^188.
        if (owed <= ((balance + 1) * SCORE_UNIT - 1) / rate) {
            return ((owed * rate) / SCORE_UNIT, owed, true);
        }
        score = (balance * SCORE_UNIT) / rate;
        amount = (score * rate) / SCORE_UNIT;
    }
}
