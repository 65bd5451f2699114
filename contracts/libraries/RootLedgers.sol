// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title RootLedgers
/// @notice The one owner of the event root-ledger packing: a posted, non-vetoed event root's ledger in one
/// storage slot, read and written as one word on the claim path.
/// @dev Solidity packs struct members from the lowest bits up, so the word of a {RootLedger} is
/// eventId [0, 40) | remaining [40, 168) | claimableAt [168, 208) | claimsCloseAt [208, 248) | isToken [248, 256).
/// `RootLedgerHarness` (contracts/test) writes the struct and reads the word, pinning these shifts to the
/// layout in a test.
library RootLedgers {
    /// @dev The ledger of a posted, non-vetoed root.
    struct RootLedger {
        uint40 eventId; // the owning event; 0 = no such root
        uint128 remaining; // token wei the root may still pay: its total − what it paid
        uint40 claimableAt; // Unix timestamp: the end of the root's challenge period
        uint40 claimsCloseAt; // on the claim clock (Unix time minus time spent paused; see RewardsBase)
        bool isToken; // the event's token != address(0)
    }

    uint256 internal constant REMAINING_SHIFT = 40;
    uint256 internal constant CLAIMABLE_AT_SHIFT = 168;
    uint256 internal constant CLAIMS_CLOSE_AT_SHIFT = 208;
    uint256 internal constant IS_TOKEN_SHIFT = 248;

    /// @dev The word of a ledger with these fields (callers pass values that fit their widths).
    function pack(
        uint256 eventId,
        uint256 remaining,
        uint256 claimableAt,
        uint256 claimsCloseAt,
        bool isToken
    ) internal pure returns (uint256 word) {
        word =
            eventId |
            (remaining << REMAINING_SHIFT) |
            (claimableAt << CLAIMABLE_AT_SHIFT) |
            (claimsCloseAt << CLAIMS_CLOSE_AT_SHIFT);
        if (isToken) word |= 1 << IS_TOKEN_SHIFT;
    }

    /// @dev The whole slot as one word (one SLOAD, no copy to memory).
    function load(RootLedger storage ledger) internal view returns (uint256 word) {
        assembly ("memory-safe") {
            word := sload(ledger.slot)
        }
    }

    /// @dev Writes the whole slot (one SSTORE, no read-modify-write).
    function store(RootLedger storage ledger, uint256 word) internal {
        assembly ("memory-safe") {
            sstore(ledger.slot, word)
        }
    }

    function eventIdOf(uint256 word) internal pure returns (uint256) {
        return uint40(word);
    }

    function remainingOf(uint256 word) internal pure returns (uint256) {
        return uint128(word >> REMAINING_SHIFT);
    }

    function claimableAtOf(uint256 word) internal pure returns (uint256) {
        return uint40(word >> CLAIMABLE_AT_SHIFT);
    }

    function claimsCloseAtOf(uint256 word) internal pure returns (uint256) {
        return uint40(word >> CLAIMS_CLOSE_AT_SHIFT);
    }

    function isTokenOf(uint256 word) internal pure returns (bool) {
        return word >> IS_TOKEN_SHIFT != 0;
    }

    /// @dev `word` with `amount` taken from `remaining`; the caller checked amount ≤ remaining, so the
    /// subtraction neither underflows nor borrows from the fields above it.
    function debit(uint256 word, uint256 amount) internal pure returns (uint256) {
        unchecked {
            return word - (amount << REMAINING_SHIFT);
        }
    }
}
