// Clang thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html), after
// LevelDB's port/thread_annotations.h. They let the compiler check the prose contract every
// header states: a member marked GUARDED_BY(mu_) is only touched with mu_ held, a function marked
// REQUIRES(mu_) is only called with it held, EXCLUDES(mu_) only without it.
//
// The annotations only mean something on a capability type: util::Mutex and util::SharedMutex
// (util/mutex.h) are; std::mutex is not with libstdc++. Clang checks them when built with
// -Wthread-safety (the sanitizer configuration, -DDEPIN_THREAD_SAFETY=ON, does with -Werror); other
// compilers see empty macros. Header-only, no state.
#pragma once

#if defined(__clang__)
#define DEPIN_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define DEPIN_THREAD_ANNOTATION(x)
#endif

// On a class: it is a lock (a "capability").
#define CAPABILITY(name) DEPIN_THREAD_ANNOTATION(capability(name))
// On a class: an RAII holder that acquires in its constructor and releases in its destructor.
#define SCOPED_CAPABILITY DEPIN_THREAD_ANNOTATION(scoped_lockable)
// On a data member: read or written only with the named mutex held (shared suffices to read).
#define GUARDED_BY(x) DEPIN_THREAD_ANNOTATION(guarded_by(x))
// On a pointer member: the pointee is guarded (the pointer itself is not).
#define PT_GUARDED_BY(x) DEPIN_THREAD_ANNOTATION(pt_guarded_by(x))
// On a mutex member: acquired after / before the named ones (lock order).
#define ACQUIRED_AFTER(...) DEPIN_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define ACQUIRED_BEFORE(...) DEPIN_THREAD_ANNOTATION(acquired_before(__VA_ARGS__))
// On a function: callers must hold the mutex exclusively / at least shared.
#define REQUIRES(...) DEPIN_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define REQUIRES_SHARED(...) DEPIN_THREAD_ANNOTATION(requires_shared_capability(__VA_ARGS__))
// On a function: callers must not hold the mutex (the function takes it itself).
#define EXCLUDES(...) DEPIN_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
// On a function: it acquires / releases the mutex (or `this` when no argument is given).
#define ACQUIRE(...) DEPIN_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define ACQUIRE_SHARED(...) DEPIN_THREAD_ANNOTATION(acquire_shared_capability(__VA_ARGS__))
#define RELEASE(...) DEPIN_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
#define RELEASE_SHARED(...) DEPIN_THREAD_ANNOTATION(release_shared_capability(__VA_ARGS__))
#define RELEASE_GENERIC(...) DEPIN_THREAD_ANNOTATION(release_generic_capability(__VA_ARGS__))
#define TRY_ACQUIRE(...) DEPIN_THREAD_ANNOTATION(try_acquire_capability(__VA_ARGS__))
// On a function: it aborts unless the mutex is held; the analysis assumes it is afterwards.
#define ASSERT_CAPABILITY(x) DEPIN_THREAD_ANNOTATION(assert_capability(x))
// On a function: it returns a reference to the named mutex.
#define RETURN_CAPABILITY(x) DEPIN_THREAD_ANNOTATION(lock_returned(x))
// On a function: not checked. Only for code the analysis cannot follow (say why at the use).
#define NO_THREAD_SAFETY_ANALYSIS DEPIN_THREAD_ANNOTATION(no_thread_safety_analysis)
