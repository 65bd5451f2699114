// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title QuirkyToken
/// @notice A token whose `transfer` answers in the ways real tokens do (true, nothing like USDT, false, or
/// odd return data), so tests can pin which answers {Funds.trySend} takes as a payment.
contract QuirkyToken {
    /// @notice How `transfer` answers.
    enum Answer {
        True, // abi.encode(true)
        Nothing, // no return data (USDT, BNB): moves the balance, returns nothing
        False, // abi.encode(false), balance unchanged
        Short, // 31 bytes of 0x01…: not a bool
        Long // 64 bytes, first word 1: a bool followed by junk
    }

    /// @notice Balances (18 decimals, minted freely).
    mapping(address account => uint256) public balanceOf;

    /// @notice The current answer of `transfer`.
    Answer public answer;

    /// @notice Sets how `transfer` answers.
    function setAnswer(Answer a) external {
        answer = a;
    }

    /// @notice Mints `amount` to `to`.
    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
    }

    /// @notice Moves `amount` from the caller to `to` (except when answering false) and answers as set, in
    /// assembly (the declared bool is what callers expect; the answer on the wire is what this test needs).
    function transfer(address to, uint256 amount) external returns (bool) {
        Answer a = answer;
        if (a != Answer.False) {
            balanceOf[msg.sender] -= amount;
            balanceOf[to] += amount;
        }
        assembly ("memory-safe") {
            switch a
            case 0 {
                mstore(0x00, 1)
                return(0x00, 0x20)
            }
            case 1 {
                return(0x00, 0x00)
            }
            case 2 {
                mstore(0x00, 0)
                return(0x00, 0x20)
            }
            case 3 {
                mstore(0x00, not(0))
                return(0x00, 31)
            }
            default {
                mstore(0x00, 1)
                mstore(0x20, not(0))
                return(0x00, 0x40)
            }
        }
        return true; // not reached: every case above returns
    }
}
