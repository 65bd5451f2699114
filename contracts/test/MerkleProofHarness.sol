// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import { MerkleProof } from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";

import { MerkleLeaves } from "../libraries/MerkleLeaves.sol";

/// @title MerkleProofHarness
/// @notice Exposes OpenZeppelin's MerkleProof so tests can show that a proof is valid for a raw node
/// (e.g. an internal node) while the rewards contract still rejects it as a leaf, and {MerkleLeaves} next to
/// it so tests can show the claim path's assembly gives OpenZeppelin's results bit for bit.
contract MerkleProofHarness {
    /// @notice `MerkleProof.verifyCalldata(proof, root, leaf)`.
    function verify(bytes32[] calldata proof, bytes32 root, bytes32 leaf) external pure returns (bool) {
        return MerkleProof.verifyCalldata(proof, root, leaf);
    }

    /// @notice The OpenZeppelin standard leaf of an event leaf.
    function eventLeaf(uint256 eventId, uint256 index, address account, uint256 amount)
        external
        pure
        returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(eventId, index, account, amount))));
    }

    /// @notice The OpenZeppelin standard leaf of a channel leaf.
    function channelLeaf(uint256 channelId, address account, uint256 cumulativeScore)
        external
        pure
        returns (bytes32)
    {
        return keccak256(bytes.concat(keccak256(abi.encode(channelId, account, cumulativeScore))));
    }

    /// @notice `MerkleProof.processProofCalldata(proof, leaf)` (OpenZeppelin).
    function ozRootOf(bytes32[] calldata proof, bytes32 leaf) external pure returns (bytes32) {
        return MerkleProof.processProofCalldata(proof, leaf);
    }

    /// @notice `MerkleLeaves.rootOf(proof, leaf)` (the claim path's).
    function rootOf(bytes32[] calldata proof, bytes32 leaf) external pure returns (bytes32) {
        return MerkleLeaves.rootOf(proof, leaf);
    }

    /// @notice `MerkleLeaves.eventLeaf` (the claim path's).
    function libEventLeaf(uint256 eventId, uint256 index, address account, uint256 amount)
        external
        pure
        returns (bytes32)
    {
        return MerkleLeaves.eventLeaf(eventId, index, account, amount);
    }

    /// @notice `MerkleLeaves.channelLeaf` (the claim path's).
    function libChannelLeaf(uint256 channelId, address account, uint256 cumulativeScore)
        external
        pure
        returns (bytes32)
    {
        return MerkleLeaves.channelLeaf(channelId, account, cumulativeScore);
    }
}
