//! The repair's decision, from dispositions as Bun and Go leave them (flags measured on Bun
//! 1.2.20, 1.3.14 and 1.4.5: JSC's SIGPWR handler 0x14000004, 0x1c000004 once Go ran).
use super::{repairs, Disposition, Handler, Repairs};

const BUN_SIGPWR: i32 = 0x1400_0004;
const AFTER_GO: i32 = 0x1c00_0004;

fn of(handler: Handler, flags: i32) -> Disposition {
    Disposition { handler, flags }
}

#[test]
fn bun_as_it_starts_needs_nothing() {
    let none = Repairs {
        clear_sigpwr_onstack: false,
        ignore_sigpipe: false,
    };
    assert_eq!(
        repairs(
            of(Handler::Executable, BUN_SIGPWR),
            of(Handler::Ignored, 0),
            false
        ),
        none
    );
}

#[test]
fn after_go_both_are_repaired_whenever_go_ran() {
    let wanted = Repairs {
        clear_sigpwr_onstack: true,
        ignore_sigpipe: true,
    };
    // Judged from the state alone: the same answer whether Go ran before or after this addon loaded.
    assert_eq!(
        repairs(
            of(Handler::Executable, AFTER_GO),
            of(Handler::Library, 0x0c00_0004),
            false
        ),
        wanted
    );
}

#[test]
fn an_app_that_listens_for_sigpipe_keeps_gos_handler_which_calls_buns() {
    let go_sigpipe = of(Handler::Library, 0x0c00_0004);
    let needed = repairs(of(Handler::Executable, AFTER_GO), go_sigpipe, true);
    assert!(needed.clear_sigpwr_onstack);
    assert!(!needed.ignore_sigpipe);
}

#[test]
fn handlers_that_are_not_buns_are_left_alone() {
    // A SIGPWR handler some shared object installed with SA_ONSTACK is its own business.
    let other = repairs(
        of(Handler::Library, AFTER_GO),
        of(Handler::Ignored, 0),
        false,
    );
    assert!(!other.clear_sigpwr_onstack);
    // SIGPIPE handled by the runtime itself (an app's own SIGPIPE listener) or at its default.
    for handler in [Handler::Executable, Handler::Default, Handler::Ignored] {
        assert!(!repairs(of(Handler::Default, 0), of(handler, 0), false).ignore_sigpipe);
    }
}

#[test]
fn the_repair_reads_this_process_and_changes_nothing_healthy() {
    // The test binary is no Bun: whatever it has, a second repair finds nothing left to do.
    let _ = super::repair(false);
    let again = super::repair(false);
    assert!(again.supported);
    assert!(!again.sigpwr_onstack_cleared && !again.sigpipe_ignore_restored);
}
