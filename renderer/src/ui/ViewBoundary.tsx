import { Component, Suspense, type ReactNode } from 'react';
import { ErrorLine } from '../StatusLine.tsx';

interface Props {
  /** Another view chosen clears a failure, so that view gets its own try. */
  resetKey: string;
  children: ReactNode;
}

interface State {
  failed: boolean;
  key: string;
}

/**
 * Around the views that load on demand (views.ts): nothing while one loads (a local read, a few milliseconds), and a
 * one-line error in its place if its code could not be fetched, instead of a blank window.
 */
export class ViewBoundary extends Component<Props, State> {
  override state: State = { failed: false, key: this.props.resetKey };

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey === state.key ? null : { failed: false, key: props.resetKey };
  }

  static getDerivedStateFromError(): Partial<State> {
    return { failed: true };
  }

  override render(): ReactNode {
    if (this.state.failed) return <ErrorLine text="This view could not load. Reload the window to try again." />;
    return <Suspense fallback={null}>{this.props.children}</Suspense>;
  }
}
