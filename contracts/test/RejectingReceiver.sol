// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { ILike2EarnRewards } from "../interfaces/ILike2EarnRewards.sol";
import { EventClaim, ChannelClaim } from "../types/DataTypes.sol";

/// @title RejectingReceiver
/// @notice Test account that reverts whenever it receives ETH. It can still act as a leaf's account
/// through the forwarding functions (claims are for msg.sender), e.g. to redirect its payout elsewhere.
contract RejectingReceiver {
    /// @notice Raised on every incoming ETH transfer.
    error RejectingReceiver_NoEther(address sender, uint256 value);

    /// @notice Rejects every ETH transfer.
    receive() external payable {
        revert RejectingReceiver_NoEther(msg.sender, msg.value);
    }

    /// @notice Calls `claimEventTo` as this contract (the leaf's account).
    function claimEventTo(
        ILike2EarnRewards rewards,
        uint256 eventId,
        uint256 index,
        uint256 amount,
        address recipient,
        bytes32[] calldata proof
    ) external {
        rewards.claimEventTo(eventId, index, amount, recipient, proof);
    }

    /// @notice Calls `claimChannel` as this contract (paid to this contract, so it fails for ETH).
    function claimChannel(
        ILike2EarnRewards rewards,
        uint256 channelId,
        uint256 cumulativeScore,
        bytes32[] calldata proof
    ) external {
        rewards.claimChannel(channelId, cumulativeScore, proof);
    }

    /// @notice Calls `claimChannelTo` as this contract.
    function claimChannelTo(
        ILike2EarnRewards rewards,
        uint256 channelId,
        uint256 cumulativeScore,
        address recipient,
        bytes32[] calldata proof
    ) external {
        rewards.claimChannelTo(channelId, cumulativeScore, recipient, proof);
    }

    /// @notice Calls `batchClaim` as this contract (its channel items are for this contract).
    function batchClaim(
        ILike2EarnRewards rewards,
        EventClaim[] calldata eventClaims,
        ChannelClaim[] calldata channelClaims
    ) external returns (uint256 paidEvents, uint256 paidChannels) {
        return rewards.batchClaim(eventClaims, channelClaims);
    }

    /// @notice Any other call as this contract (e.g. create an event as a brand); bubbles up reverts.
    function forward(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{ value: msg.value }(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }
}
