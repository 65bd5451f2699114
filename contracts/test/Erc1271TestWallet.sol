// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { IERC1271 } from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import { ECDSA } from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title Erc1271TestWallet
/// @notice Test smart-contract wallet: accepts a signature (EIP-1271) when its owner EOA signed the digest,
/// and receives ETH, so a registration and a claim can both be made for a contract account. The owner can be
/// changed, so a test can make a registration that was valid stop being valid.
contract Erc1271TestWallet is IERC1271 {
    /// @notice The EOA whose ECDSA signatures this wallet accepts.
    address public owner;

    /// @notice Emitted when the accepted signer changes.
    event OwnerChanged(address indexed previousOwner, address indexed newOwner);
    /// @notice Emitted when the wallet receives ETH.
    event Received(address indexed from, uint256 amount);

    /// @notice Raised when someone other than the owner tries to change the owner.
    error Erc1271TestWallet_NotOwner(address caller);

    /// @param initialOwner The EOA whose signatures are accepted.
    constructor(address initialOwner) {
        owner = initialOwner;
        emit OwnerChanged(address(0), initialOwner);
    }

    /// @notice Accepts ETH (claims pay this wallet).
    receive() external payable {
        emit Received(msg.sender, msg.value);
    }

    /// @notice Replaces the accepted signer.
    /// @param newOwner The new signer.
    function setOwner(address newOwner) external {
        if (msg.sender != owner) revert Erc1271TestWallet_NotOwner(msg.sender);
        emit OwnerChanged(owner, newOwner);
        owner = newOwner;
    }

    /// @notice EIP-1271: the magic value when `signature` is the owner's ECDSA signature of `hash`.
    /// @param hash The digest that was signed (here: the EIP-712 Registration digest).
    /// @param signature A 65-byte ECDSA signature.
    /// @return magicValue `0x1626ba7e` when valid, `0xffffffff` otherwise.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view override returns (bytes4 magicValue) {
        (address signer, ECDSA.RecoverError err, ) = ECDSA.tryRecover(hash, signature);
        return err == ECDSA.RecoverError.NoError && signer == owner ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }
}
