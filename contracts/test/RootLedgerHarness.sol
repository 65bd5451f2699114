// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { RootLedgers } from "../libraries/RootLedgers.sol";

/// @title RootLedgerHarness
/// @notice Test helper: writes a {RootLedgers.RootLedger} as a Solidity struct and returns the raw slot, and
/// packs the same fields through the library, so a test pins the library's shifts to the struct layout.
contract RootLedgerHarness {
    RootLedgers.RootLedger private _ledger;

    /// @notice The slot word after a struct assignment of these fields.
    function structWord(
        uint40 eventId,
        uint128 remaining,
        uint40 claimableAt,
        uint40 claimsCloseAt,
        bool isToken
    ) external returns (uint256) {
        _ledger = RootLedgers.RootLedger(eventId, remaining, claimableAt, claimsCloseAt, isToken);
        return RootLedgers.load(_ledger);
    }

    /// @notice The library's packing of these fields, and each field read back through the library.
    function packed(
        uint40 eventId,
        uint128 remaining,
        uint40 claimableAt,
        uint40 claimsCloseAt,
        bool isToken
    ) external pure returns (uint256 word, uint256[5] memory fields) {
        word = RootLedgers.pack(eventId, remaining, claimableAt, claimsCloseAt, isToken);
        fields = [
            RootLedgers.eventIdOf(word),
            RootLedgers.remainingOf(word),
            RootLedgers.claimableAtOf(word),
            RootLedgers.claimsCloseAtOf(word),
            RootLedgers.isTokenOf(word) ? 1 : 0
        ];
    }
}
