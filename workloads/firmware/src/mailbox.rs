//! KEEP: a fixed-capacity mailbox (single-producer single-consumer ring buffer) that lives in a `static`.
//!
//! No heap: the slots are inline. One context sends (an actor, or an interrupt handler) and one context
//! receives (the actor loop); the atomics order the slot write before the index that publishes it, so an
//! ISR may post while the loop reads. With several producers, guard `try_send` with a critical section.

use core::cell::UnsafeCell;
use core::mem::MaybeUninit;
use core::sync::atomic::{AtomicUsize, Ordering};

pub struct Mailbox<M, const N: usize> {
    slots: UnsafeCell<[MaybeUninit<M>; N]>,
    /// Messages read so far (free-running; only the consumer writes it).
    head: AtomicUsize,
    /// Messages written so far (free-running; only the producer writes it).
    tail: AtomicUsize,
}

// SAFETY: a slot is written only by the producer before `tail` publishes it, and read only by the consumer
// before `head` releases it; M must be Send because it crosses contexts.
unsafe impl<M: Send, const N: usize> Sync for Mailbox<M, N> {}

impl<M, const N: usize> Mailbox<M, N> {
    const CAPACITY_IS_POWER_OF_TWO: () = assert!(N.is_power_of_two(), "mailbox capacity must be a power of two");

    pub const fn new() -> Self {
        let () = Self::CAPACITY_IS_POWER_OF_TWO;
        Mailbox {
            slots: UnsafeCell::new([const { MaybeUninit::uninit() }; N]),
            head: AtomicUsize::new(0),
            tail: AtomicUsize::new(0),
        }
    }

    /// Enqueues `msg`, or hands it back when the mailbox is full (back-pressure, never blocks).
    pub fn try_send(&self, msg: M) -> Result<(), M> {
        let tail = self.tail.load(Ordering::Relaxed);
        let head = self.head.load(Ordering::Acquire);
        if tail.wrapping_sub(head) == N {
            return Err(msg);
        }
        // SAFETY: the slot at `tail` is free (the consumer has released it) and only we write it.
        unsafe { (*self.slots.get())[tail % N].write(msg) };
        self.tail.store(tail.wrapping_add(1), Ordering::Release);
        Ok(())
    }

    /// Dequeues the oldest message, if any.
    pub fn recv(&self) -> Option<M> {
        let head = self.head.load(Ordering::Relaxed);
        let tail = self.tail.load(Ordering::Acquire);
        if head == tail {
            return None;
        }
        // SAFETY: the producer published this slot (tail > head) and will not touch it until head moves on.
        let msg = unsafe { (*self.slots.get())[head % N].assume_init_read() };
        self.head.store(head.wrapping_add(1), Ordering::Release);
        Some(msg)
    }

    pub fn is_empty(&self) -> bool {
        self.head.load(Ordering::Relaxed) == self.tail.load(Ordering::Acquire)
    }
}

/// KEEP: an actor handles one message at a time, to completion.
pub trait Actor {
    type Msg;
    fn handle(&mut self, msg: Self::Msg);
}

/// Runs `actor` on every message waiting in `mailbox` (a cooperative scheduler's step); returns how many.
pub fn drain<A: Actor, const N: usize>(actor: &mut A, mailbox: &Mailbox<A::Msg, N>) -> u32 {
    let mut handled = 0;
    while let Some(msg) = mailbox.recv() {
        actor.handle(msg);
        handled += 1;
    }
    handled
}
