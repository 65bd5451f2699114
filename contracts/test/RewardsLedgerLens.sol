// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { IERC20 } from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import { ILike2EarnRewards } from "../interfaces/ILike2EarnRewards.sol";
import { EventBounty, ChannelPool } from "../types/DataTypes.sol";

/// @title RewardsLedgerLens
/// @notice Test helper: reads every campaign ledger and the rewards contract's balances in one call, so
/// the invariant test can check "balance == Σ ledgers" after every step without dozens of RPC calls.
contract RewardsLedgerLens {
    /// @notice Every event and channel (ids 1..count) and the balance the rewards contract holds of each
    /// token in `tokens` (address(0) = ETH), plus the sum of the ledgers held in that token.
    /// @dev Held by an event: settled ? 0 : funded − claimed. Held by a channel: withdrawn ? 0 : balance.
    /// A ledger with claimed > funded is reported by `ledgerUnderflow` instead of reverting.
    function snapshot(ILike2EarnRewards rewards, address[] calldata tokens)
        external
        view
        returns (
            EventBounty[] memory events,
            ChannelPool[] memory channels,
            uint256[] memory balances,
            uint256[] memory ledgerSums,
            bool ledgerUnderflow
        )
    {
        uint256 eventCount = rewards.eventCount();
        uint256 channelCount = rewards.channelCount();
        events = new EventBounty[](eventCount);
        channels = new ChannelPool[](channelCount);
        balances = new uint256[](tokens.length);
        ledgerSums = new uint256[](tokens.length);

        for (uint256 i = 0; i < eventCount; ++i) {
            EventBounty memory e = rewards.getEventBounty(i + 1);
            events[i] = e;
            if (e.settled) continue;
            if (e.claimed > e.funded) {
                ledgerUnderflow = true;
                continue;
            }
            _add(tokens, ledgerSums, e.token, uint256(e.funded) - e.claimed);
        }
        for (uint256 i = 0; i < channelCount; ++i) {
            ChannelPool memory c = rewards.getChannel(i + 1);
            channels[i] = c;
            if (c.withdrawn) continue;
            _add(tokens, ledgerSums, c.token, c.balance);
        }
        for (uint256 t = 0; t < tokens.length; ++t) {
            balances[t] = tokens[t] == address(0)
                ? address(rewards).balance
                : IERC20(tokens[t]).balanceOf(address(rewards));
        }
    }

    /// @notice `isEventClaimed(eventIds[i], indices[i])` for every i and `convertedScore(channelIds[j],
    /// accounts[j])` for every j, in one call.
    function claimState(
        ILike2EarnRewards rewards,
        uint256[] calldata eventIds,
        uint256[] calldata indices,
        uint256[] calldata channelIds,
        address[] calldata accounts
    ) external view returns (bool[] memory claimed, uint256[] memory converted) {
        claimed = new bool[](eventIds.length);
        for (uint256 i = 0; i < eventIds.length; ++i) {
            claimed[i] = rewards.isEventClaimed(eventIds[i], indices[i]);
        }
        converted = new uint256[](channelIds.length);
        for (uint256 j = 0; j < channelIds.length; ++j) {
            converted[j] = rewards.convertedScore(channelIds[j], accounts[j]);
        }
    }

    function _add(address[] calldata tokens, uint256[] memory sums, address token, uint256 amount) private pure {
        for (uint256 t = 0; t < tokens.length; ++t) {
            if (tokens[t] == token) {
                sums[t] += amount;
                return;
            }
        }
    }
}
